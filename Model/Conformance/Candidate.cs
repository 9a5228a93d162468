using SyncModel.Model.State;

namespace SyncModel.Model.Conformance;

/// <summary>
/// One way the model can be running after a prefix of the trace: its state, and per thread the Implementation events
/// still owed by a model step already taken (a step stands for several events, and other threads' events may come
/// between them), and the step a channel thread that announced <c>Wake</c> will take (chosen at the wake-up, taken
/// at its next event). Immutable; equal candidates are merged.
/// </summary>
internal sealed class Candidate : IEquatable<Candidate>
{
    private readonly Owed[] _owed;
    private readonly int[] _woken;
    private readonly int _hash;

    private Candidate(ModelState state, Owed[] owed, int[] woken, int lateWake = 0)
    {
        State = state;
        _owed = owed;
        _woken = woken;
        LateWake = lateWake;
        var h = state.GetHashCode() ^ lateWake;
        for (var i = 0; i < owed.Length; i++) h = h * 31 + owed[i].Hash * 7 + woken[i];
        _hash = h;
    }

    public ModelState State { get; }

    /// <summary>Slots (bit i = slot i) of channel threads that held a post on their <c>sem</c> when <c>exiting</c> was
    /// set: each may have passed its <c>exiting</c> check before and announce its wake-up only now.</summary>
    public int LateWake { get; }

    public static Candidate Start(ModelState state, IReadOnlyList<Expect> owed, TraceShape shape)
    {
        var c = new Candidate(state, Enumerable.Repeat(Owed.Empty, TraceShape.Slots).ToArray(), Enumerable.Repeat(-1, TraceShape.Slots).ToArray());
        return c.Then(state, owed, 0, shape);
    }

    /// <summary>The events owed by <paramref name="slot"/>, in order.</summary>
    public ReadOnlySpan<Expect> OwedBy(int slot) => _owed[slot].Items;

    /// <summary>The action (index &lt;&lt; <see cref="ConformanceReplay.WokenShift"/> | flag | argument) chosen when the thread in
    /// <paramref name="slot"/> woke, or -1.</summary>
    public int Woken(int slot) => _woken[slot];

    /// <summary>Nothing is owed and no thread is between its wake-up and its step.</summary>
    public bool Settled
    {
        get
        {
            for (var i = 0; i < _owed.Length; i++)
            {
                if (_owed[i].Count != 0 || _woken[i] >= 0) return false;
            }
            return true;
        }
    }

    /// <summary>The thread in <paramref name="slot"/> is at a step boundary: it owes nothing and has not announced a wake-up.</summary>
    public bool Free(int slot) => _owed[slot].Count == 0 && _woken[slot] < 0;

    /// <summary>This candidate after a model step to <paramref name="state"/> whose events from index
    /// <paramref name="from"/> on are owed (each appended to its thread's list).</summary>
    public Candidate Then(ModelState state, List<Expect> owed, int from, TraceShape shape) => Then(state, (IReadOnlyList<Expect>)owed, from, shape);

    private Candidate Then(ModelState state, IReadOnlyList<Expect> owed, int from, TraceShape shape)
    {
        if (from >= owed.Count) return new Candidate(state, _owed, _woken, LateWake);
        var lists = (Owed[])_owed.Clone();
        for (var i = from; i < owed.Count; i++)
        {
            var slot = shape.Slot(owed[i].Actor);
            lists[slot] = lists[slot].Append(owed[i]);
        }
        return new Candidate(state, lists, _woken, LateWake);
    }

    /// <summary>The first owed event of <paramref name="slot"/> happened.</summary>
    public Candidate Pop(int slot)
    {
        var lists = (Owed[])_owed.Clone();
        lists[slot] = lists[slot].Skip(1);
        return new Candidate(State, lists, _woken, LateWake);
    }

    /// <summary>Drops the leading owed events of <paramref name="slot"/> that QEMU may skip once <c>exiting</c> is set.</summary>
    public Candidate Abandon(int slot)
    {
        var items = _owed[slot].Items;
        var skip = 0;
        while (skip < items.Length && items[skip].Abandonable) skip++;
        var lists = (Owed[])_owed.Clone();
        lists[slot] = lists[slot].Skip(skip);
        return new Candidate(State, lists, _woken, LateWake);
    }

    public Candidate Wake(int slot, int choice)
    {
        var woken = (int[])_woken.Clone();
        woken[slot] = choice;
        return new Candidate(State, _owed, woken, LateWake & ~(1 << slot));
    }

    public Candidate Committed(int slot)
    {
        var woken = (int[])_woken.Clone();
        woken[slot] = -1;
        return new Candidate(State, _owed, woken, LateWake);
    }

    /// <summary>This candidate with <see cref="LateWake"/> set to <paramref name="slots"/>.</summary>
    public Candidate WithLateWake(int slots) => slots == LateWake ? this : new Candidate(State, _owed, _woken, slots);

    public bool Equals(Candidate? other)
    {
        if (other is null || other._hash != _hash || other.State != State || other.LateWake != LateWake) return false;
        for (var i = 0; i < _owed.Length; i++)
        {
            if (_woken[i] != other._woken[i] || !_owed[i].SameAs(other._owed[i])) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as Candidate);

    public override int GetHashCode() => _hash;

    /// <summary>A thread's owed events: an immutable list with its hash.</summary>
    private sealed class Owed
    {
        public static readonly Owed Empty = new([]);

        private readonly Expect[] _items;

        private Owed(Expect[] items)
        {
            _items = items;
            var h = items.Length;
            foreach (var x in items) h = h * 17 + x.GetHashCode();
            Hash = h;
        }

        public int Hash { get; }
        public int Count => _items.Length;
        public ReadOnlySpan<Expect> Items => _items;

        public Owed Append(Expect x) => new([.. _items, x]);

        public Owed Skip(int n) => n == 0 ? this : n >= _items.Length ? Empty : new(_items[n..]);

        public bool SameAs(Owed other) => ReferenceEquals(this, other) || (other.Hash == Hash && _items.AsSpan().SequenceEqual(other._items));
    }
}
