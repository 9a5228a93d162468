using SyncModel.Protocol.Vocabulary;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Scenarios;
using SyncModel.Implementation;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Save;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using SyncModel.Properties.Support;
using Xunit.Abstractions;

namespace SyncModel.Properties.Coyote;

/// <summary>
/// NoUnexpectedFailure end to end: an exception nobody injected, in the migration thread under Coyote or in a channel
/// thread on real threads, fails the run with the thread, the exception and its stack, even though the production code
/// turns every failure into a <see cref="MigrationFailedException"/>; the injected fault alone does not.
/// </summary>
[Collection(CoyoteCollection.Name)]
public sealed class UnexpectedFailureTests(ITestOutputHelper output)
{
    /// <summary>10.0's sync placement, but the third round-wrap decision throws, as a buggy user policy might.</summary>
    private static HookedPolicy CrashingPolicy()
    {
        var wraps = 0;
        return new HookedPolicy("crashing-test-policy", "qemu-10.0-mapped-ram whose third round wrap throws", site =>
        {
            if (site == SenderSite.RoundWrap && Interlocked.Increment(ref wraps) % 3 == 0) throw new InvalidOperationException("policy bug: third wrap");
        });
    }

    [Fact]
    public void A_crash_of_the_migration_thread_under_exploration_is_a_violation_with_its_stack()
    {
        var scenario = Scenario.Small(CrashingPolicy(), FlushSetting.Off, kind: ScenarioKind.Save, liveRounds: 2);

        var result = Explorer.Explore(scenario, "pct", seed: 1, 50);

        output.WriteLine($"{result.Verdict} {result.Property}: {result.Message}");
        Assert.Equal(VerdictKind.Violated, result.Verdict);
        Assert.Equal(PropertyId.NoUnexpectedFailure, result.Property);
        Assert.NotNull(result.Failure);
        Assert.Equal(Actor.Migration, result.Failure.Actor);
        Assert.Equal(typeof(InvalidOperationException).FullName, result.Failure.ExceptionType);
        Assert.Contains(nameof(CrashingPolicy), result.Failure.StackTrace, StringComparison.Ordinal);
    }

    /// <summary>The channels' file, with every second positional write throwing what no IO call throws.</summary>
    private sealed class CrashingFile(IMigrationFile inner) : IMigrationFile
    {
        private int _writes;

        public long Length => inner.Length;
        public int Read(Span<byte> buffer, long offset) => inner.Read(buffer, offset);
        public void Write(ReadOnlySpan<byte> data, long offset) => inner.Write(data, offset);

        public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset)
        {
            if (Interlocked.Increment(ref _writes) == 2) throw new IndexOutOfRangeException("a bug below pwritev");
            inner.Write(buffers, offset);
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public void A_crash_of_a_channel_thread_is_a_violation_although_the_save_just_fails()
    {
        var config = new MigrationConfig { Channels = 2, Blocks = [new("pc.ram", 64 * 4096)], PagesPerBatch = 4 }.Validate();
        using var file = new MemoryMigrationFile();
        var monitor = TraceMonitor.WithAllCheckers();
        var options = new SaveOptions(config, Qemu100MappedRam.Instance, GuestRam.For(config), Workload.Synthetic(config, 0, 0, 0, seed: 1))
        {
            Observer = monitor,
            ChannelFile = new CrashingFile(file),
        };

        Assert.Throws<MigrationFailedException>(() => Saver.Save(file, options));
        var v = monitor.Finish(failed: true);

        Assert.Equal(PropertyId.NoUnexpectedFailure, v?.Property);
        Assert.Equal(ActorKind.Sender, v!.Failure?.Actor.Kind);
        Assert.Equal(typeof(IndexOutOfRangeException).FullName, v.Failure!.ExceptionType);
        Assert.Contains(nameof(CrashingFile), v.Failure.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void The_injected_fault_alone_fails_the_run_without_a_violation()
    {
        var scenario = Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off, channels: 1, kind: ScenarioKind.Save, errors: ErrorSides.Source);

        var result = Explorer.Explore(scenario, "pct", seed: 1, 200);

        Assert.True(result.Verdict == VerdictKind.NoViolation, $"{result.Property}: {result.Message}");
    }

    /// <summary>A thread that fails with an injected fault, announced as the production code does.</summary>
    private static (TraceMonitor Monitor, InjectedFaultException Fault) AfterAnInjectedFault()
    {
        var monitor = TraceMonitor.WithAllCheckers();
        var fault = new InjectedFaultException("multifd channel 0: write failed (injected)");
        monitor.Failed(Failures.Describe(Actor.Sender(0), fault));
        return (monitor, fault);
    }

    [Fact]
    public void A_crash_a_migration_failure_carries_unannounced_is_a_violation_even_after_an_injected_fault()
    {
        // A path that wraps a crash into MigrationFailedException without announcing it: once the injected fault was seen,
        // only the exploration's own look at what the failure carries can still tell the crash from the fault.
        var (monitor, _) = AfterAnInjectedFault();

        var failed = ScenarioRun.Stage(monitor, Actor.Migration,
            () => throw new MigrationFailedException("save failed", new NullReferenceException("a field read after its channel was freed")));
        var v = monitor.Finish(failed);

        Assert.True(failed);
        Assert.Equal(PropertyId.NoUnexpectedFailure, v?.Property);
        Assert.Equal(typeof(NullReferenceException).FullName, v!.Failure!.ExceptionType);
    }

    [Fact]
    public void A_migration_failure_carrying_only_announced_faults_is_no_violation()
    {
        // The injected fault itself, and a socket migration whose two ends failed with announced faults, are judged once.
        var (monitor, fault) = AfterAnInjectedFault();
        var other = new InjectedFaultException("multifd channel 1: read failed (injected)");
        monitor.Failed(Failures.Describe(Actor.Receiver(1), other));

        var failed = ScenarioRun.Stage(monitor, Actor.Migration, () => throw new MigrationFailedException("save failed", fault))
            | ScenarioRun.Stage(monitor, Actor.Migration, () => throw new MigrationFailedException("socket migration failed",
                new AggregateException(new MigrationFailedException("save failed", fault), other)));

        Assert.True(failed);
        Assert.Null(monitor.Finish(failed));
    }
}
