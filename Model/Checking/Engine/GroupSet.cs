using System.Numerics;

namespace SyncModel.Model.Checking.Engine;

/// <summary>A set of transition groups as a fixed 256-bit mask (the engine's stubborn-set arithmetic), four words spelled
/// out so every operation is a handful of instructions.</summary>
internal struct GroupSet : IEquatable<GroupSet>
{
    /// <summary>The most groups a set holds.</summary>
    public const int Capacity = 256;

    private ulong _w0, _w1, _w2, _w3;

    public readonly bool Contains(int g) => (Word(g >> 6) >> (g & 63) & 1) != 0;

    public void Add(int g)
    {
        var bit = 1UL << (g & 63);
        switch (g >> 6)
        {
            case 0: _w0 |= bit; break;
            case 1: _w1 |= bit; break;
            case 2: _w2 |= bit; break;
            default: _w3 |= bit; break;
        }
    }

    public void Remove(int g)
    {
        var bit = ~(1UL << (g & 63));
        switch (g >> 6)
        {
            case 0: _w0 &= bit; break;
            case 1: _w1 &= bit; break;
            case 2: _w2 &= bit; break;
            default: _w3 &= bit; break;
        }
    }

    public void UnionWith(in GroupSet o)
    {
        _w0 |= o._w0;
        _w1 |= o._w1;
        _w2 |= o._w2;
        _w3 |= o._w3;
    }

    public void IntersectWith(in GroupSet o)
    {
        _w0 &= o._w0;
        _w1 &= o._w1;
        _w2 &= o._w2;
        _w3 &= o._w3;
    }

    public void ExceptWith(in GroupSet o)
    {
        _w0 &= ~o._w0;
        _w1 &= ~o._w1;
        _w2 &= ~o._w2;
        _w3 &= ~o._w3;
    }

    public readonly bool IsEmpty => (_w0 | _w1 | _w2 | _w3) == 0;

    public readonly int Count => BitOperations.PopCount(_w0) + BitOperations.PopCount(_w1) + BitOperations.PopCount(_w2) + BitOperations.PopCount(_w3);

    /// <summary>How many groups of <paramref name="o"/> are not in this set.</summary>
    public readonly int CountNew(in GroupSet o) =>
        BitOperations.PopCount(o._w0 & ~_w0) + BitOperations.PopCount(o._w1 & ~_w1) + BitOperations.PopCount(o._w2 & ~_w2) + BitOperations.PopCount(o._w3 & ~_w3);

    /// <summary>How many groups of <paramref name="a"/> that are also in <paramref name="b"/> are not in this set.</summary>
    public readonly int CountNew(in GroupSet a, in GroupSet b) =>
        BitOperations.PopCount(a._w0 & b._w0 & ~_w0) + BitOperations.PopCount(a._w1 & b._w1 & ~_w1)
        + BitOperations.PopCount(a._w2 & b._w2 & ~_w2) + BitOperations.PopCount(a._w3 & b._w3 & ~_w3);

    /// <summary>How many groups are in both this set and <paramref name="o"/>.</summary>
    public readonly int CountAnd(in GroupSet o) =>
        BitOperations.PopCount(_w0 & o._w0) + BitOperations.PopCount(_w1 & o._w1) + BitOperations.PopCount(_w2 & o._w2) + BitOperations.PopCount(_w3 & o._w3);

    /// <summary>Whether every group of <paramref name="o"/> is in this set.</summary>
    public readonly bool Covers(in GroupSet o) => ((o._w0 & ~_w0) | (o._w1 & ~_w1) | (o._w2 & ~_w2) | (o._w3 & ~_w3)) == 0;

    /// <summary>The lowest group at or after <paramref name="from"/>, or -1.</summary>
    public readonly int Next(int from)
    {
        if (from >= Capacity) return -1;
        for (var i = from >> 6; i < 4; i++)
        {
            var word = Word(i);
            if (i == from >> 6) word &= ulong.MaxValue << (from & 63);
            if (word != 0) return (i << 6) + BitOperations.TrailingZeroCount(word);
        }
        return -1;
    }

    /// <summary>The groups in <paramref name="from"/> up to but not including <paramref name="to"/>.</summary>
    public static GroupSet Range(int from, int to)
    {
        var s = default(GroupSet);
        for (var g = from; g < to; g++) s.Add(g);
        return s;
    }

    public readonly bool Equals(GroupSet other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override readonly bool Equals(object? obj) => obj is GroupSet s && Equals(s);

    public override readonly int GetHashCode() => HashCode.Combine(_w0, _w1, _w2, _w3);

    private readonly ulong Word(int i) => i switch
    {
        0 => _w0,
        1 => _w1,
        2 => _w2,
        _ => _w3,
    };
}
