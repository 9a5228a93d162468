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
        => Run(body, () => monitor.Count, () => monitor.Events, stall);

    /// <summary>Runs <paramref name="body"/>; <paramref name="progress"/> counts events so far, <paramref name="events"/> gives them for the hang report.</summary>
    public static Outcome Run(Action body, Func<int> progress, Func<IReadOnlyList<TraceEvent>> events, TimeSpan stall)
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
        var poll = TimeSpan.FromMilliseconds(Math.Clamp(stall.TotalMilliseconds / 5, 5, 100));
        while (!runner.Join(poll))
        {
            var count = progress();
            if (count != lastCount)
            {
                lastCount = count;
                quietSince = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - quietSince > stall)
            {
                return new Outcome(false, null, Describe(events(), stall));
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
