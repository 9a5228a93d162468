using System.Numerics;

namespace SyncModel.Model.Checking.Engine;

/// <summary>
/// The visited set: every state exactly (no hash compaction), packed to a fixed number of words, stored densely in
/// insertion order (a state's id is its position, so a BFS level is a range of ids), with the id of the state it was
/// first reached from. An open-addressing table of 64-bit entries (the hash's top 32 bits, 32 bits of id) finds a state
/// by content; a state's slot is the hash's top bits, so the table doubles from the entries alone, in order, without
/// reading a state or hashing again. It is lock-free for concurrent inserts (an entry is claimed before its state is
/// written and published after) and grows between batches of work under a reader-writer lock.
/// </summary>
internal sealed class StateStore : IDisposable
{
    private const int SegmentBits = 20;
    private const int SegmentStates = 1 << SegmentBits;
    private const uint Busy = uint.MaxValue;
    private const double MaxLoad = 0.7;
    /// <summary>The most states a store holds (ids are 32-bit, two values are reserved).</summary>
    public const long MaxStates = uint.MaxValue - 2;

    private readonly int _words;
    private readonly ulong[]?[] _data = new ulong[]?[(MaxStates >> SegmentBits) + 1];
    private readonly uint[]?[] _parent = new uint[]?[(MaxStates >> SegmentBits) + 1];
    private readonly object _grow = new();
    private readonly ReaderWriterLockSlim _resize = new(LockRecursionPolicy.NoRecursion);
    private ulong[] _table;
    private int _bits;
    private long _count;
    private long _segmentBytes;

    public StateStore(int words, int initialCapacityBits = 18)
    {
        if (words is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(words));
        _words = words;
        _bits = initialCapacityBits;
        _table = new ulong[1L << initialCapacityBits];
    }

    public int Words => _words;

    /// <summary>States stored.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Bytes held: the table and the state and parent segments.</summary>
    public long Bytes => _table.LongLength * 8 + Interlocked.Read(ref _segmentBytes);

    /// <summary>Bytes one more state costs on average: its words, its parent, and its share of the table.</summary>
    public static double BytesPerState(int words) => words * 8 + 4 + 8 / ((MaxLoad + MaxLoad / 2) / 2);

    public static ulong Hash(ReadOnlySpan<ulong> w)
    {
        var h = 0x9E3779B97F4A7C15UL * (ulong)(w.Length + 1);
        for (var i = 0; i < w.Length; i++) h = BitOperations.RotateLeft(h ^ (w[i] * 0xC2B2AE3D27D4EB4FUL), 31) * 0x9E3779B97F4A7C15UL;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        return h ^ (h >> 33);
    }

    /// <summary>Enter before a batch of <see cref="Insert"/> calls; the table does not move until <see cref="EndBatch"/>.</summary>
    public void BeginBatch() => _resize.EnterReadLock();

    /// <summary>Leave a batch; grows the table if it passed its load limit.</summary>
    public void EndBatch()
    {
        _resize.ExitReadLock();
        if (Count <= _table.LongLength * MaxLoad) return;
        _resize.EnterWriteLock();
        try
        {
            while (Count > _table.LongLength * MaxLoad) Grow();
        }
        finally
        {
            _resize.ExitWriteLock();
        }
    }

    /// <summary>Adds a state unless stored; returns its id and whether it is new. Call inside a batch.</summary>
    public (long Id, bool New) Insert(ReadOnlySpan<ulong> state, long parent)
    {
        var hash = Hash(state);
        var table = _table;
        var mask = table.LongLength - 1;
        var tag = (uint)(hash >> 32);
        var i = (long)(hash >> (64 - _bits));
        for (long probe = 0; probe <= mask; probe++, i = (i + 1) & mask)
        {
            var e = Volatile.Read(ref table[i]);
            if (e == 0)
            {
                var claim = ((ulong)tag << 32) | Busy;
                if (Interlocked.CompareExchange(ref table[i], claim, 0) != 0)
                {
                    i = (i - 1) & mask;
                    probe--;
                    continue;
                }
                var id = Interlocked.Increment(ref _count) - 1;
                if (id >= MaxStates) throw new InvalidOperationException("the visited set holds at most 2^32 states");
                Write(id, state, parent);
                Volatile.Write(ref table[i], ((ulong)tag << 32) | (uint)(id + 1));
                return (id, true);
            }
            if ((uint)(e >> 32) != tag) continue;
            var spin = new SpinWait();
            while ((uint)e == Busy)
            {
                spin.SpinOnce();
                e = Volatile.Read(ref table[i]);
            }
            var found = (long)(uint)e - 1;
            if (Read(found).SequenceEqual(state)) return (found, false);
        }
        throw new InvalidOperationException("the visited set is full");
    }

    /// <summary>The packed state with id <paramref name="id"/>.</summary>
    public ReadOnlySpan<ulong> Read(long id) => _data[id >> SegmentBits].AsSpan((int)(id & (SegmentStates - 1)) * _words, _words);

    /// <summary>The id of the state <paramref name="id"/> was first reached from (itself for the initial state).</summary>
    public long Parent(long id) => _parent[id >> SegmentBits]![id & (SegmentStates - 1)];

    private void Write(long id, ReadOnlySpan<ulong> state, long parent)
    {
        var seg = id >> SegmentBits;
        if (Volatile.Read(ref _data[seg]) is null || Volatile.Read(ref _parent[seg]) is null) Allocate(seg);
        state.CopyTo(_data[seg].AsSpan((int)(id & (SegmentStates - 1)) * _words, _words));
        _parent[seg]![id & (SegmentStates - 1)] = (uint)parent;
    }

    private void Allocate(long seg)
    {
        lock (_grow)
        {
            if (_data[seg] is null)
            {
                Volatile.Write(ref _data[seg], GC.AllocateUninitializedArray<ulong>(SegmentStates * _words));
                Interlocked.Add(ref _segmentBytes, (long)SegmentStates * _words * 8);
            }
            if (_parent[seg] is null)
            {
                Volatile.Write(ref _parent[seg], GC.AllocateUninitializedArray<uint>(SegmentStates));
                Interlocked.Add(ref _segmentBytes, (long)SegmentStates * 4);
            }
        }
    }

    /// <summary>Doubles the table: each entry's new slot is the top bits of the hash bits it keeps.</summary>
    private void Grow()
    {
        if (_bits >= 32) throw new InvalidOperationException("the visited set's table is at its largest (2^32 entries)");
        var bits = _bits + 1;
        var bigger = new ulong[1L << bits];
        var mask = bigger.LongLength - 1;
        foreach (var e in _table)
        {
            if (e == 0) continue;
            var i = (long)((e >> 32) >> (32 - bits));
            for (long probe = 0; bigger[i] != 0 && probe <= mask; probe++) i = (i + 1) & mask;
            bigger[i] = e;
        }
        _table = bigger;
        _bits = bits;
    }

    public void Dispose() => _resize.Dispose();
}
