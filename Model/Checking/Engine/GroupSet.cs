using System.Numerics;
using System.Runtime.CompilerServices;

namespace SyncModel.Model.Checking.Engine;

/// <summary>A set of transition groups as a fixed 256-bit mask (the engine's stubborn-set arithmetic).</summary>
internal struct GroupSet
{
    /// <summary>The most groups a set holds.</summary>
    public const int Capacity = 256;

    private Words _w;

    public readonly bool Contains(int g) => (_w[g >> 6] >> (g & 63) & 1) != 0;

    public void Add(int g) => _w[g >> 6] |= 1UL << (g & 63);

    public void Remove(int g) => _w[g >> 6] &= ~(1UL << (g & 63));

    public void UnionWith(in GroupSet other)
    {
        for (var i = 0; i < 4; i++) _w[i] |= other._w[i];
    }

    public void IntersectWith(in GroupSet other)
    {
        for (var i = 0; i < 4; i++) _w[i] &= other._w[i];
    }

    public void ExceptWith(in GroupSet other)
    {
        for (var i = 0; i < 4; i++) _w[i] &= ~other._w[i];
    }

    public readonly bool IsEmpty => (_w[0] | _w[1] | _w[2] | _w[3]) == 0;

    public readonly int Count =>
        BitOperations.PopCount(_w[0]) + BitOperations.PopCount(_w[1]) + BitOperations.PopCount(_w[2]) + BitOperations.PopCount(_w[3]);

    /// <summary>How many groups of <paramref name="other"/> are not in this set.</summary>
    public readonly int CountNew(in GroupSet other)
    {
        var n = 0;
        for (var i = 0; i < 4; i++) n += BitOperations.PopCount(other._w[i] & ~_w[i]);
        return n;
    }

    /// <summary>How many groups are in both this set and <paramref name="other"/>.</summary>
    public readonly int CountAnd(in GroupSet other)
    {
        var n = 0;
        for (var i = 0; i < 4; i++) n += BitOperations.PopCount(_w[i] & other._w[i]);
        return n;
    }

    /// <summary>The lowest group at or after <paramref name="from"/>, or -1.</summary>
    public readonly int Next(int from)
    {
        for (var i = from >> 6; i < 4; i++)
        {
            var word = _w[i];
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

    [InlineArray(4)]
    private struct Words
    {
        private ulong _first;
    }
}
