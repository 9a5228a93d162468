using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Events;

namespace SyncModel.Coyote.RealThreads;

/// <summary>
/// Runs a migration on real threads and notices when it stops making progress: a run whose trace gains no
/// event for <c>stall</c> while its body has not returned is reported as hung (NoDeadlock), with the last
/// step of every thread. The hung threads are background threads; they are left behind.
/// </summary>
public static class StalledRun
{
    public sealed record Outcome(bool Finished, Exception? Error, string? HangReport);

    public static Outcome Run(Action body, TraceMonitor monitor, TimeSpan stall)
    {
        Exception? error = null;
        var runner = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) { error = e; }
        }) { IsBackground = true };
        runner.Start();
        var lastCount = -1;
        var quietSince = DateTime.UtcNow;
        while (!runner.Join(TimeSpan.FromMilliseconds(100)))
        {
            var count = monitor.Events.Count;
            if (count != lastCount)
            {
                lastCount = count;
                quietSince = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - quietSince > stall)
            {
                return new Outcome(false, null, Describe(monitor.Events, stall));
            }
        }
        return new Outcome(true, error, null);
    }

    /// <summary>"no event for 5 s; last steps: dest RecvSyncBegin; recv0 Exit; ..."</summary>
    public static string Describe(IReadOnlyList<TraceEvent> events, TimeSpan stall)
    {
        var last = events.GroupBy(e => e.Actor).Select(g => g.Last()).OrderBy(e => e.Actor.Kind).ThenBy(e => e.Actor.Index);
        return $"no progress for {stall.TotalSeconds:F0} s; last step of each thread: {string.Join("; ", last)}";
    }
}
