using SyncModel.Protocol.Vocabulary;
using SyncModel.Model;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Model;

/// <summary>The verdicts of docs/protocol.md §4's summary matrix, as issue 3 lists them.</summary>
public sealed class ModelVerdictTests
{
    [Fact]
    public void FixedRamV4_with_F_on_cleans_up_with_a_chunk_outstanding()
    {
        var r = ModelChecker.Check(ModelConfigs.Small(FixedRamV4.Instance, f: true));

        Assert.Equal(VerdictKind.Violated, r.Verdict);
        Assert.Equal(nameof(PropertyId.DrainBeforeCleanup), r.Property);
        // §4(b): the source never writes FLUSH with F=on, so the destination never syncs.
        Assert.DoesNotContain(r.Counterexample, e => e.Kind == EventKind.StreamFlag && e.Flag == RamFlag.Flush);
        Assert.DoesNotContain(r.Counterexample, e => e.Kind == EventKind.RecvSyncBegin);
        var last = r.Counterexample[^1];
        Assert.Equal(Actor.Destination, last.Actor);
        Assert.Equal(EventKind.LoadCleanup, last.Kind);
        Assert.Contains(r.Counterexample, e => e.Kind == EventKind.RecvQueue);
    }

    [Theory]
    [InlineData("fixed-ram-v4", true)]
    [InlineData("peterxu-oneshot", false)]
    [InlineData("qemu-10.0-mapped-ram", false)]
    public void No_variant_saves_a_stale_page(string policy, bool f)
    {
        // §4 Q3 is "no" for every variant: a sync at every wrap or at every iterate end suffices (background fact),
        // also with the guest writing during the iterate calls and iterate calls that stop mid-round.
        var options = ModelConfigs.Small(SyncPolicies.Parse(policy), f, pages: 3) with { SaveOnly = true, Live = true, PagesPerIteration = 2 };

        var r = ModelChecker.Check(options);

        Assert.Equal(VerdictKind.Proved, r.Verdict);
        Assert.True(r.Closed);
    }

    [Fact]
    public void FixedRamV4_with_F_off_holds()
    {
        var r = ModelChecker.Check(ModelConfigs.Small(FixedRamV4.Instance, f: false));
        var unreduced = ModelChecker.Check(ModelConfigs.Small(FixedRamV4.Instance, f: false).WithoutReductions());

        Assert.Equal(VerdictKind.Proved, r.Verdict);
        Assert.True(r.Closed);
        Assert.Equal(VerdictKind.Proved, unreduced.Verdict);
        Assert.True(unreduced.States > 500, $"only {unreduced.States} states: the model lost behaviour");
    }

    [Fact]
    public void PeterXu_one_shot_deadlocks_at_the_second_recv_sync()
    {
        var r = ModelChecker.Check(ModelConfigs.Small(PeterXuOneShot.Instance));

        Assert.Equal(VerdictKind.Violated, r.Verdict);
        Assert.Equal("NoDeadlock", r.Property);
        // §4(c): the first ram_load's sync drains and ends the threads; the second one waits forever.
        Assert.Equal(2, r.Counterexample.Count(e => e.Kind == EventKind.RecvSyncBegin));
        Assert.Equal(1, r.Counterexample.Count(e => e.Kind == EventKind.RecvSyncEnd));
        Assert.Contains(r.Notes, n => n.Contains("one-shot multifd_recv_sync_main", StringComparison.Ordinal));
        Assert.DoesNotContain(r.Counterexample, e => e.Kind is EventKind.LoadCleanup or EventKind.VmStart);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PeterXu_reentrant_holds(bool f)
    {
        var r = ModelChecker.Check(ModelConfigs.Small(PeterXuReentrant.Instance, f));
        Assert.Equal(VerdictKind.Proved, r.Verdict);
        Assert.True(r.Closed);
    }

    [Theory]
    [InlineData("qemu-9.0-mapped-ram", false)]
    [InlineData("qemu-9.0-mapped-ram", true)]
    [InlineData("qemu-10.0-mapped-ram", false)]
    [InlineData("qemu-10.0-mapped-ram", true)]
    public void Merged_mapped_ram_holds(string policy, bool f)
    {
        var r = ModelChecker.Check(ModelConfigs.Small(SyncPolicies.Parse(policy), f) with { Pages = 3, GuestWrites = 2 });
        Assert.Equal(VerdictKind.Proved, r.Verdict);
        Assert.True(r.Closed);
        Assert.Empty(r.Counterexample);
    }

    [Theory]
    [InlineData("qemu-9.0-mapped-ram")]
    [InlineData("qemu-10.0-mapped-ram")]
    [InlineData("peterxu-reentrant")]
    public void A_dying_recv_channel_hangs_the_destination_in_the_recv_sync(string policy)
    {
        var r = ModelChecker.Check(ModelConfigs.Small(SyncPolicies.Parse(policy), errors: ErrorSides.Destination));

        Assert.Equal(VerdictKind.Violated, r.Verdict);
        Assert.Equal("NoDeadlock", r.Property);
        // §3.7: terminate_threads posts every p->sem but never the shared sem_sync.
        Assert.Contains(r.Counterexample, e => e.Actor.Kind == ActorKind.Receiver && e.Kind == EventKind.Exit && e.Error is not null);
        Assert.Contains(r.Notes, n => n.Contains("blocked in multifd_recv_sync_main on the shared sem_sync", StringComparison.Ordinal));
        Assert.Equal(EventKind.RecvSyncBegin, r.Counterexample.Last(e => e.Actor == Actor.Destination).Kind);
    }

    /// <summary>The fix sketches (docs/fixes/) in the model: with both, errors on both sides leave no hang at 2 and 3 channels;
    /// each alone still has the other side's hang.</summary>
    [Theory]
    [InlineData("qemu-10.0-mapped-ram+fixes", ErrorSides.Both, 2, null)]
    [InlineData("qemu-10.0-mapped-ram+fixes", ErrorSides.Both, 3, null)]
    [InlineData("qemu-10.0-mapped-ram+send-fix", ErrorSides.Source, 3, null)]
    [InlineData("qemu-10.0-mapped-ram+recv-fix", ErrorSides.Destination, 3, null)]
    [InlineData("qemu-10.0-mapped-ram+send-fix", ErrorSides.Destination, 2, "NoDeadlock")]
    [InlineData("qemu-10.0-mapped-ram+recv-fix", ErrorSides.Source, 2, "NoDeadlock")]
    public void The_fixes_remove_exactly_the_hang_they_fix(string policy, ErrorSides errors, int channels, string? property)
    {
        var r = ModelChecker.Check(ModelConfigs.Small(SyncPolicies.Parse(policy), errors: errors, channels: channels));

        Assert.True(r.Verdict == (property is null ? VerdictKind.Proved : VerdictKind.Violated), r.Sentence);
        Assert.Equal(property, r.Property);
    }

    [Fact]
    public void A_failing_send_channel_can_hang_the_source_in_the_send_sync()
    {
        // Finding: a channel woken by its sync request after another channel's error sees exiting and leaves
        // without posting sem_sync, while the migration thread already waits for it (§2.3, §2.4).
        var r = ModelChecker.Check(ModelConfigs.Small(Qemu90MappedRam.Instance, errors: ErrorSides.Source));

        Assert.Equal(VerdictKind.Violated, r.Verdict);
        Assert.Equal("NoDeadlock", r.Property);
        Assert.Contains(r.Notes, n => n.StartsWith("main is blocked in multifd_send_sync_main", StringComparison.Ordinal));
        Assert.Contains(r.Counterexample, e => e.Actor.Kind == ActorKind.Sender && e.Kind == EventKind.Exit && e.Error is not null);
        Assert.Contains(r.Counterexample, e => e.Actor.Kind == ActorKind.Sender && e.Kind == EventKind.Exit && e.Error is null);
    }

    [Fact]
    public void A_source_without_the_per_round_sync_saves_a_stale_page()
    {
        var r = ModelChecker.Check(ModelConfigs.Small(Qemu90MappedRam.Instance) with { Mutations = Mutation.NoRoundSync });

        Assert.Equal(VerdictKind.Violated, r.Verdict);
        Assert.Equal(nameof(PropertyId.NoStalePage), r.Property);
        Assert.Contains(r.Counterexample, e => e.Kind == EventKind.GuestWrite);
    }

    [Fact]
    public void Zero_pages_that_keep_their_bit_restore_stale_data()
    {
        // 5.6 (8fa1a21c): a page with data in one round and all zero in the next keeps bit 1.
        var r = ModelChecker.Check(ModelConfigs.Small(Qemu90MappedRam.Instance, pages: 1) with { Mutations = Mutation.ZeroPageBitNotCleared });

        Assert.Equal(VerdictKind.Violated, r.Verdict);
        Assert.Equal(nameof(PropertyId.NoStalePage), r.Property);
        Assert.Contains(r.Steps, s => s.Event.Kind == EventKind.GuestWrite && s.WhatChanged.Contains("zero pages: {} → {p0}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_check_finds_the_same_counterexample_every_time()
    {
        var options = ModelConfigs.Small(PeterXuOneShot.Instance, channels: 3);

        var first = ModelChecker.Check(options);
        var second = ModelChecker.Check(options);

        Assert.Equal(first.Steps, second.Steps);
        Assert.Equal((first.States, first.Transitions), (second.States, second.Transitions));
    }

    [Fact]
    public void A_socket_preset_with_error_paths_the_model_lacks_is_reported_not_modelled()
    {
        // A failed connect with the destination: the destination's channel setup is not in the model.
        var r = ModelChecker.Check(ModelConfigs.Small(Qemu90Socket.Instance, errors: ErrorSides.Connect));

        Assert.Equal(VerdictKind.NotModelled, r.Verdict);
        Assert.Equal("not-modelled", r.VerdictText);
        Assert.Contains("not modelled", r.Sentence, StringComparison.Ordinal);
        Assert.Null(r.Property);
    }

    [Fact]
    public void A_search_cut_short_is_incomplete_never_holds()
    {
        var r = ModelChecker.Check(ModelConfigs.Small(Qemu90MappedRam.Instance) with { MaxStates = 50 });

        Assert.Equal(VerdictKind.Incomplete, r.Verdict);
        Assert.False(r.Closed);
    }

    [Fact]
    public void The_matrix_covers_every_preset_F_and_error_setting()
    {
        var results = ModelChecker.Matrix(ModelConfigs.Small(Qemu90MappedRam.Instance));

        // F off and on, and on a socket also the two mismatches of §4(a); errors off and destination.
        Assert.Equal(SyncPolicies.All.Sum(p => ModelChecker.MatrixFlushSettings(p).Count) * 2, results.Count);
        string Verdict(string policy, bool f, ErrorSides e, bool? destination = null) =>
            results.Single(r => r.Policy == policy && r.FlushAfterEachSection == new FlushSetting(f, destination ?? f) && r.Errors == e) is var r
                ? r.VerdictText + (r.Property is null ? "" : " " + r.Property) : "";
        Assert.Equal("violated DrainBeforeCleanup", Verdict("fixed-ram-v4", true, ErrorSides.None));
        Assert.Equal("proved", Verdict("fixed-ram-v4", false, ErrorSides.None));
        Assert.Equal("violated NoDeadlock", Verdict("peterxu-oneshot", false, ErrorSides.None));
        Assert.Equal("proved", Verdict("peterxu-reentrant", true, ErrorSides.None));
        Assert.Equal("proved", Verdict("qemu-9.0-mapped-ram", true, ErrorSides.None));
        Assert.Equal("violated NoDeadlock", Verdict("qemu-10.0-mapped-ram", false, ErrorSides.Destination));
        Assert.Equal("proved", Verdict("qemu-8.2-socket", false, ErrorSides.None));
        Assert.Equal("violated NoDeadlock", Verdict("qemu-8.2-socket", false, ErrorSides.None, destination: true));
        // 8.2's error paths: a creation completing after the failed migration's cleanup (§5.4) is the shortest.
        Assert.Equal("violated NoUseAfterFree", Verdict("qemu-8.2-socket", false, ErrorSides.Destination));
        Assert.Equal("proved", Verdict("qemu-9.0-socket", true, ErrorSides.None));
        Assert.Equal("violated NoDeadlock", Verdict("qemu-9.0-socket", true, ErrorSides.None, destination: false));
        Assert.Equal("violated NoDeadlock", Verdict("qemu-9.0-socket", false, ErrorSides.None, destination: true));
        // A recv read error: the destination's recv sync waits for ever (§3.7 on sockets); the reference decides it too.
        Assert.Equal("violated NoDeadlock", Verdict("qemu-9.0-socket", false, ErrorSides.Destination));
        Assert.Equal("NoDeadlock", ReferenceVerdicts.Expected(Qemu90Socket.Instance, FlushSetting.Off, ErrorSides.Destination, channels: 1));
    }

    [Fact]
    public void Options_from_a_shared_config_keep_its_shape()
    {
        var config = new MigrationConfig
        {
            Channels = 3,
            PageSize = 4096,
            Blocks = [new RamBlockSpec("pc.ram", 6 * 4096)],
            LiveRounds = 1,
            PagesPerBatch = 2,
            LoadChunkBytes = 3 * 4096,
            FlushAfterEachSection = FlushSetting.On,
            Mutations = Mutation.NoRoundSync,
        };
        var o = ModelCheckOptions.FromConfig(config, Qemu90MappedRam.Instance);

        Assert.Equal((3, 6, 1, 2, 3, true, Mutation.NoRoundSync), (o.Channels, o.Pages, o.Rounds, o.BatchPages, o.ChunkPages, o.FlushSetting.Source, o.Mutations));
        Assert.Throws<ArgumentException>(() => (o with { Channels = 9 }).Validate());
    }
}
