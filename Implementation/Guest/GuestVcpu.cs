using SyncModel.Protocol.Events;

namespace SyncModel.Implementation.Guest;

/// <summary>
/// The guest's vCPUs during a live save: a thread that performs round r's writes of a
/// <see cref="Workload"/> while the source runs iteration r, marking each page dirty after writing it.
/// </summary>
public sealed class GuestVcpu
{
    private readonly GuestRam _ram;
    private readonly Workload _workload;
    private readonly ITraceObserver? _observer;
    private readonly SemaphoreSlim _go = new(0);
    private readonly SemaphoreSlim _done = new(0);
    private Thread? _thread;
    private volatile bool _stopping;
    private Exception? _error;
    private int _round;

    public GuestVcpu(GuestRam ram, Workload workload, ITraceObserver? observer)
    {
        workload.Validate(ram);
        _ram = ram;
        _workload = workload;
        _observer = observer;
    }

    /// <summary>Writes the initial contents (the guest ran before the migration started; nothing is logged).</summary>
    public void WriteInitial()
    {
        foreach (var w in _workload.Initial) Write(w, log: false);
    }

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true };
        _thread.Start();
    }

    /// <summary>Lets the guest perform its next round's writes, concurrently with the caller.</summary>
    public void BeginRound()
    {
        _round++;
        _go.Release();
    }

    /// <summary>Waits until the round started by <see cref="BeginRound"/> has written everything; throws when the guest failed.</summary>
    public void EndRound()
    {
        _done.Wait();
        if (Volatile.Read(ref _error) is { } e) throw new MigrationFailedException("the guest's vCPU thread failed", e);
    }

    /// <summary>Stops the vCPUs (the VM is paused for complete) and joins the thread.</summary>
    public void Stop()
    {
        if (_thread is null) return;
        _stopping = true;
        _go.Release();
        _thread.Join();
        _thread = null;
    }

    private void Run()
    {
        try
        {
            // One pass per live round; MigrationConfig caps live rounds at 1000.
            for (var r = 0; r <= 1000; r++)
            {
                _go.Wait();
                if (_stopping) return;
                var writes = r < _workload.Rounds.Count ? _workload.Rounds[r] : [];
                foreach (var w in writes) Write(w, log: true);
                _done.Release();
            }
        }
        catch (Exception e)
        {
            // A vCPU that crashes ends the run as a failure the migration thread sees at its next EndRound.
            Failures.Announce(_observer, Actor.Guest, e);
            Volatile.Write(ref _error, e);
            _done.Release();
        }
    }

    private void Write(PageWrite w, bool log)
    {
        var block = _ram.Blocks[w.Block];
        var version = block.Versions[w.Page] + 1;
        w.Fill.Apply(block.PageSpan(w.Page), w.Block, w.Page, version);
        block.Versions[w.Page] = version;
        if (!log) return;
        block.MarkDirty(w.Page);
        _observer?.On(new TraceEvent(EventKind.GuestWrite, Actor.Guest, Block: w.Block, Page: w.Page, Count: 1, Round: _round, Version: version));
    }
}
