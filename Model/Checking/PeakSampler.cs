namespace SyncModel.Model.Checking;

/// <summary>Samples the process working set every 20 ms while a search runs and keeps the largest value.</summary>
/// <remarks>On a thread of its own that sleeps between samples. A thread-pool timer did this before: every tick woke a pool
/// worker, which then spun for a while waiting for more work, and on 2 cores that spinning took about a sixth of the CPU
/// away from the search threads (measured with dotnet-trace: 18% of the process's CPU in the pool's spin-wait).</remarks>
internal sealed class PeakSampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private readonly Thread _thread;
    private bool _stopping;
    private long _peak;

    public PeakSampler()
    {
        _peak = Environment.WorkingSet;
        _thread = new Thread(Run) { IsBackground = true, Name = "peak memory sampler" };
        _thread.Start();
    }

    public long Peak
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    private void Run()
    {
        lock (_gate)
        {
            while (!_stopping)
            {
                Monitor.Wait(_gate, Interval);
                Sample();
            }
        }
    }

    private void Sample()
    {
        var now = Environment.WorkingSet;
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        _thread.Join();
    }
}
