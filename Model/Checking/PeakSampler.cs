namespace SyncModel.Model.Checking;

/// <summary>Samples the process working set every 20 ms while a search runs and keeps the largest value.</summary>
internal sealed class PeakSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakSampler()
    {
        _peak = Environment.WorkingSet;
        _timer = new Timer(_ => Sample(), null, 20, 20);
    }

    public long Peak
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
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

    public void Dispose() => _timer.Dispose();
}
