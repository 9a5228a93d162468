using System.Diagnostics;

namespace SyncModel.Model.Checking.Engine;

/// <summary>
/// Level-synchronous breadth-first search over a <see cref="ISearchModel{TState}"/>: every state of level d is expanded
/// before any of level d+1, so the first violation found is at the least depth the explored graph has. A level of at
/// least <see cref="SearchLimits.ParallelLevel"/> states is split into chunks that <see cref="SearchLimits.Threads"/>
/// workers take in turn; smaller levels run on the calling thread in id order, so small searches are deterministic.
/// Properties are checked as the search goes: state properties on every new state, step properties on every enabled
/// group of every expanded state (also the ones a stubborn set leaves out, so a violation is seen whatever is pruned).
/// </summary>
internal sealed class BfsEngine<TState, TModel, TOracle> : IDisposable
    where TState : struct
    where TModel : ISearchModel<TState>
    where TOracle : IStubbornOracle<TState>
{
    private const int Chunk = 64;
    private readonly TModel _model;
    private readonly TOracle _oracle;
    private readonly SearchLimits _limits;
    private readonly StateStore _store;
    private readonly GroupSet _environment;
    private readonly object _gate = new();
    private readonly Stopwatch _clock = new();
    private readonly List<Worker> _workers = [];
    private long _cursor;
    private long _levelEnd;
    private int _depth;
    private int _deepest;
    private int _stop;
    private long _peakBytes;
    private (long Id, int Group, int Property)? _violation;
    private TimeSpan _lastProgress;
    private Action<SearchProgress>? _progress;
    private CancellationToken _cancel;

    public BfsEngine(TModel model, TOracle oracle, SearchLimits limits)
    {
        if (model.GroupCount > GroupSet.Capacity) throw new ArgumentException($"at most {GroupSet.Capacity} transition groups");
        _model = model;
        _oracle = oracle;
        _limits = limits;
        _store = new StateStore(model.Words);
        for (var g = 0; g < model.GroupCount; g++)
        {
            if (model.IsEnvironment(g)) _environment.Add(g);
        }
    }

    public SearchOutcome<TState> Run(CancellationToken cancel = default, Action<SearchProgress>? progress = null)
    {
        _cancel = cancel;
        _progress = progress;
        _clock.Start();
        var initial = _model.Initial;
        var packed = new ulong[_model.Words];
        _model.Pack(initial, packed);
        _store.BeginBatch();
        _store.Insert(packed, 0);
        _store.EndBatch();
        var first = _model.ViolatedInvariant(initial);
        if (first >= 0) _violation = (0, -1, first);
        var reason = _violation is null ? Search() : StopReason.Violation;
        ReportProgress(force: true);
        return Outcome(reason);
    }

    private StopReason Search()
    {
        long levelStart = 0;
        for (var level = 0; level <= int.MaxValue - 1; level++)
        {
            var levelEnd = _store.Count;
            if (levelStart == levelEnd) return StopReason.Closed;
            _depth = level;
            if (level >= _limits.MaxDepth) return StopReason.MaxDepth;
            _cursor = levelStart;
            _levelEnd = levelEnd;
            var threads = levelEnd - levelStart >= _limits.ParallelLevel ? Math.Max(1, _limits.Threads) : 1;
            while (_workers.Count < threads) _workers.Add(new Worker(this));
            if (threads == 1) _workers[0].Run(coordinator: true);
            else Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, w => _workers[w].Run(coordinator: w == 0));
            if (_stop != 0) return (StopReason)_stop;
            levelStart = levelEnd;
        }
        return StopReason.MaxDepth;
    }

    private void RequestStop(StopReason reason) => Interlocked.CompareExchange(ref _stop, (int)reason, 0);

    private void Found(long id, int group, int property)
    {
        lock (_gate)
        {
            _violation ??= (id, group, property);
        }
        RequestStop(StopReason.Violation);
    }

    private void ReportProgress(bool force = false)
    {
        var bytes = _store.Bytes;
        if (bytes > _peakBytes) _peakBytes = bytes;
        if (_progress is null) return;
        var now = _clock.Elapsed;
        if (!force && now - _lastProgress < _limits.ProgressInterval) return;
        _lastProgress = now;
        var count = _store.Count;
        var frontier = Math.Max(0, _levelEnd - Interlocked.Read(ref _cursor)) + Math.Max(0, count - _levelEnd);
        _progress(new SearchProgress(count, _workers.Sum(w => w.Transitions), frontier, _depth, bytes, now));
    }

    private SearchOutcome<TState> Outcome(StopReason reason)
    {
        var states = _store.Count;
        _peakBytes = Math.Max(_peakBytes, _store.Bytes);
        var profile = _limits.Profile ? ProfileCollector.Merge<TState, TModel>(_model, _workers.Select(w => w.Profile!)) : null;
        var common = new SearchOutcome<TState>
        {
            Reason = reason,
            States = states,
            Transitions = _workers.Sum(w => w.Transitions),
            Depth = reason == StopReason.MaxDepth ? _depth : _deepest,
            PeakStoreBytes = _peakBytes,
            BytesPerState = (double)_peakBytes / Math.Max(1, states),
            Initial = _model.Initial,
            Profile = profile,
        };
        if (reason != StopReason.Violation || _violation is not { } v) return common;
        var path = new PathBuilder<TState, TModel>(_model, _store).Build(v.Id, v.Group);
        return new SearchOutcome<TState>
        {
            Reason = reason,
            States = common.States,
            Transitions = common.Transitions,
            Depth = path.Count,
            PeakStoreBytes = common.PeakStoreBytes,
            BytesPerState = common.BytesPerState,
            Initial = common.Initial,
            Profile = profile,
            Property = v.Property,
            Path = path,
            EndsWithViolatingStep = v.Group >= 0,
        };
    }

    public void Dispose() => _store.Dispose();

    /// <summary>One thread's scratch: a packed buffer, its stubborn-set computer, its profile and transition count.</summary>
    private sealed class Worker(BfsEngine<TState, TModel, TOracle> e)
    {
        private readonly ulong[] _packed = new ulong[e._model.Words];
        private readonly StubbornSet<TState, TOracle>? _stubborn = e._limits.PartialOrder ? new(e._oracle, e._environment) : null;

        public ProfileCollector? Profile { get; } = e._limits.Profile ? new(e._model.Components.Count, e._model.ActionCount) : null;

        public long Transitions { get; private set; }

        public void Run(bool coordinator)
        {
            for (long guard = 0; guard <= e._levelEnd / Chunk + 1; guard++)
            {
                if (e._stop != 0) return;
                if (e._cancel.IsCancellationRequested)
                {
                    e.RequestStop(StopReason.Cancelled);
                    return;
                }
                var from = Interlocked.Add(ref e._cursor, Chunk) - Chunk;
                if (from >= e._levelEnd) return;
                var to = Math.Min(from + Chunk, e._levelEnd);
                e._store.BeginBatch();
                try
                {
                    for (var id = from; id < to && e._stop == 0; id++) Expand(id);
                }
                finally
                {
                    e._store.EndBatch();
                }
                if (e._store.Bytes > e._limits.MaxMemoryBytes) e.RequestStop(StopReason.Memory);
                if (coordinator) e.ReportProgress();
            }
        }

        private void Expand(long id)
        {
            var m = e._model;
            var s = m.Unpack(e._store.Read(id));
            var enabled = default(GroupSet);
            m.EnabledGroups(s, ref enabled);
            var explore = enabled;
            if (_stubborn is not null)
            {
                var stubborn = _stubborn.Compute(s, enabled);
                if (e._limits.AuditPartialOrder) PartialOrderAudit<TState, TModel>.Check(m, s, enabled, stubborn);
                explore.IntersectWith(stubborn);
            }
            for (var g = enabled.Next(0); g >= 0; g = enabled.Next(g + 1))
            {
                var step = m.ViolatedStep(s, g);
                if (step >= 0)
                {
                    e.Found(id, g, step);
                    return;
                }
                if (!explore.Contains(g)) continue;
                var t = m.Canonical(m.Apply(s, g));
                Transitions++;
                m.Pack(t, _packed);
                var (next, isNew) = e._store.Insert(_packed, id);
                Profile?.Transition(m.ActionOf(g), isNew, e._depth + 1);
                if (!isNew) continue;
                if (e._depth + 1 > e._deepest) e._deepest = e._depth + 1;
                Profile?.State(m, t);
                var invariant = m.ViolatedInvariant(t);
                if (invariant >= 0)
                {
                    e.Found(next, -1, invariant);
                    return;
                }
                if (e._store.Count >= e._limits.MaxStates) e.RequestStop(StopReason.MaxStates);
            }
        }
    }
}
