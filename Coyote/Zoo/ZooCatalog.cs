using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Coyote.Zoo;

/// <summary>The bug zoo: QEMU's historical multifd bugs (docs/protocol.md §5) and the review's, each found automatically.</summary>
public static class ZooCatalog
{
    public static IReadOnlyList<ZooEntry> Entries { get; } =
    [
        new("5.1 channels_ready accounting", "d2026ee117147893f8d80f060cede6d872ecbd7f", "multifd: Fix the number of channels ready",
            "multifd_send_sync_main posted work to every channel without taking a channels_ready token, while every send thread posted one after each job, "
            + "sync jobs included. The token count drifted above the number of idle channels, so the dispatcher's wait never blocked and it busy-looped "
            + "over busy channels (CPU burn, reported by manish.mishra). The fix posts the token at the top of the thread loop and makes the sync wait once per channel.",
            PropertyId.SemaphoreAccounting,
            Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Save, mutations: Mutation.SyncSkipsChannelsReady),
            new ZooModel(Qemu90MappedRam.Instance, FlushSetting.Off, ErrorSides.None, Mutation.SyncSkipsChannelsReady, SaveOnly: true)),

        new("5.3 sync kick as a job / spurious wakeup", "859ebaf346e8b5dece6cf255c604fe953d8ec9ab", "migration/multifd: Forbid spurious wakeups (with f5f48a78, Separate SYNC request with normal jobs)",
            "Before 9.0 pending_job was a counter shared by page jobs and sync requests, so one sem post no longer matched one job or one sync and a SYNC could "
            + "ride on a data packet. Peter Xu separated the sync request into its own flag and made a send thread that wakes with neither a job nor a sync "
            + "assert: \"crash hard rather than causing a deadlock later\". Here a sync request kicks the channel twice; the second wakeup finds nothing to do.",
            PropertyId.SemaphoreAccounting,
            Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Save, mutations: Mutation.ExtraSyncKick),
            new ZooModel(Qemu90MappedRam.Instance, FlushSetting.Off, ErrorSides.None, Mutation.ExtraSyncKick, SaveOnly: true)),

        new("5.4 channel creation vs cleanup", "93fa9dc2e0522c54b813dee0898a5feb98b624c9", "migration/multifd: Add a synchronization point for channel creation",
            "Socket send channels are created asynchronously: each connect completes in a callback that creates the channel's thread. When one creation "
            + "failed, setup went on regardless, the migration failed, and the cleanup joined the threads that existed and freed the channels while another "
            + "creation was still connecting; when that one completed it started a thread on freed MultiFDSendParams (reported by Avihai Horon). The fix adds "
            + "channels_created, which every creation attempt posts, success or not, and setup waits for all of them. Here 9.0's socket multifd without that "
            + "wait; 8.2 has the bug as released (qemu-8.2-socket meets it too).",
            PropertyId.NoUseAfterFree,
            Scenario.Small(Qemu90Socket.Instance, FlushSetting.Off, errors: ErrorSides.Connect, mutations: Mutation.NoChannelsCreatedWait),
            new ZooModel(Qemu90Socket.Instance, FlushSetting.Off, ErrorSides.Connect, Mutation.NoChannelsCreatedWait, SaveOnly: true)),

        new("0bd5b928 a failed file channel creation asserts in cleanup", "0bd5b9284fa94a6242a0d27a46380d93e753488b", "migration/multifd: Fix multifd_send_setup cleanup when channel creation fails",
            "File channels are created synchronously, in order. 9.0's multifd_send_setup returned at the first failure, before the next channels' "
            + "semaphores were initialised; the cleanup's multifd_send_terminate_threads then posted to them and QEMU aborted on an assertion (reported by "
            + "Jim Fehlig). The failed creation was the injected fault; the abort is not a way to fail: NoUnexpectedFailure. 9.1 tries every channel and "
            + "fails setup after all of them: the 10.0 twin is clean.",
            PropertyId.NoUnexpectedFailure,
            Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Save, errors: ErrorSides.Connect),
            new ZooModel(Qemu90MappedRam.Instance, FlushSetting.Off, ErrorSides.Connect, Mutation.None, SaveOnly: true, FixedPolicy: Qemu100MappedRam.Instance),
            Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Save, errors: ErrorSides.Connect)),

        new("5.5 error path without kicking the main thread", "48c0f5d56fd2ff0a0cda23301637b742c690f59a", "migration/multifd: multifd_send_kick_main() (with 15f3f21d)",
            "A send thread that fails must wake the migration thread, which may be blocked on either of its semaphores for that channel: the fix posts the "
            + "channel's sem_sync and one channels_ready token on every error exit. Without the kick, a failing channel leaves the migration thread waiting "
            + "forever in multifd_send_sync_main or in the dispatch. One channel, so the unmutated twin cannot meet the two-channel hang this project found.",
            PropertyId.NoDeadlock,
            Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, channels: 1, kind: ScenarioKind.Save, errors: ErrorSides.Source, mutations: Mutation.ErrorWithoutKick),
            new ZooModel(Qemu90MappedRam.Instance, FlushSetting.Off, ErrorSides.Source, Mutation.ErrorWithoutKick, Channels: 1, SaveOnly: true)),

        new("5.6 zero pages keep their bitmap bit", "8fa1a21c6edc2bf7de85984944848ab9ac49e937", "migration/multifd: Fix clearing of mapped-ram zero pages",
            "With multifd zero-page detection the send thread must set the file-bitmap bit of normal pages and clear it for zero pages. The merged loop for the "
            + "zero range never ran, so a page written with data in one round and found zero in a later one kept bit 1, and the restore loaded the stale data. "
            + "Harmless for a single pass (the bitmap starts zeroed), corrupting for a live migration.",
            PropertyId.NoStalePage,
            Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Save, mutations: Mutation.ZeroPageBitNotCleared, liveRounds: 2),
            new ZooModel(Qemu90MappedRam.Instance, FlushSetting.Off, ErrorSides.None, Mutation.ZeroPageBitNotCleared, SaveOnly: true)),

        new("5.7 final SYNC leaves recv threads parked", "637280aeb242517ede480aa2d5ba1c29d41eac11", "migration/multifd: Avoid the final FLUSH in complete() (then 1d457daf, Further remove the SYNC on complete)",
            "637280ae dropped the MULTIFD_FLUSH from ram_save_complete but kept the flush and sync before it, so the source still put a SYNC packet on every "
            + "channel. With no FLUSH in the stream the destination never runs the recv sync that collects it: its recv threads post the shared sem_sync and "
            + "stay parked until multifd_recv_shutdown kicks them. Harmless for RAM only because the cleanup kicks them; device state sent after RAM (VFIO) "
            + "would have found them stuck. 1d457daf syncs in complete only for F=on peers, which still need it.",
            PropertyId.SemaphoreAccounting,
            Scenario.Small(Qemu90Socket.Instance, FlushSetting.Off, mutations: Mutation.FinalSyncWithoutFlush),
            new ZooModel(Qemu90Socket.Instance, FlushSetting.Off, ErrorSides.None, Mutation.FinalSyncWithoutFlush)),

        new("§3.7 recv sync hangs on a failed channel", "(none: acknowledged 2024-02-28, still open)", "multifd_recv_terminate_threads never posts the shared sem_sync",
            "A recv channel that exits on an error (or on exiting) never posts the shared recv_state->sem_sync. The mapped-ram destination runs its one "
            + "multifd_recv_sync_main right after parse_ramblocks, even when parsing failed, and waits for N posts: the incoming coroutine, and the main loop "
            + "with it, hangs. Fabiano Rosas raised it in the review thread; Peter Xu agreed it should be fixed at some point.",
            PropertyId.NoDeadlock,
            Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Load, errors: ErrorSides.Destination),
            new ZooModel(Qemu90MappedRam.Instance, FlushSetting.Off, ErrorSides.Destination, Mutation.None, FixedPolicy: Qemu100ErrorFixes.RecvFix)),

        new("review: v4 with F=on", "(v4 patch 22/34, 2024-02-20)", "migration/multifd: Prepare multifd sync for fixed-ram migration",
            "Peter Xu asked: \"What if the user enables multifd_flush_after_each_section=true?\" The v4 source then writes no FLUSH anywhere and the v4 "
            + "destination ignores EOS, so the destination never syncs: qemu_loadvm_state_cleanup, the BH's shutdown and vm_start run with recv chunks queued; "
            + "a channel woken after exiting is set leaves without its read, and the VM runs on fresh zeros.",
            PropertyId.DrainBeforeCleanup,
            Scenario.Small(FixedRamV4.Instance, FlushSetting.On),
            new ZooModel(FixedRamV4.Instance, FlushSetting.On, ErrorSides.None, Mutation.None, FixedPolicy: Qemu90MappedRam.Instance)),

        new("review: sync in every ram_load with v4's one-shot sync", "(review mail 2024-02-26)", "Peter Xu's proposal on v4's recv sync",
            "Syncing unconditionally at the end of every ram_load decouples the load flush from the stream, but v4's recv sync is one-shot: the first ram_load "
            + "(the START section) drains and ends the recv threads, and the second one kicks dead threads and waits for their sem_sync forever. Fabiano Rosas: "
            + "\"ram_load() is called once per section … at least two calls\". The re-entrant sync Peter posted the next day is what 9.0 merged.",
            PropertyId.NoDeadlock,
            Scenario.Small(PeterXuOneShot.Instance, FlushSetting.Off, kind: ScenarioKind.Load),
            new ZooModel(PeterXuOneShot.Instance, FlushSetting.Off, ErrorSides.None, Mutation.None, FixedPolicy: PeterXuReentrant.Instance)),

        new("missing per-round send sync", "294e5a4034e8 (with 77c259a4, b05292c2)", "multifd: Only flush once each full round of memory",
            "The sync at every round wrap is what orders rounds: without it a send channel still writing (or zero-checking) an older copy of a page can land "
            + "after a newer copy of the same page written by another channel. In mapped-ram the race shows in the file bitmap: a channel that saw the page zero "
            + "clears the bit after another set it for the newer data. Juan Quintela's explanation of why the sync exists.",
            PropertyId.NoStalePage,
            Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Save, mutations: Mutation.NoRoundSync),
            new ZooModel(Qemu90MappedRam.Instance, FlushSetting.Off, ErrorSides.None, Mutation.NoRoundSync, Channels: 3, Pages: 3, Rounds: 2, SaveOnly: true)),
        new("5.9 receivedmap freed before the recv threads are joined", "4ce56229087860805877075ddb29dd44578365a9", "migration/multifd: Fix rb->receivedmap cleanup race",
            "5ef7e26b (9.1) made the socket recv threads set rb->receivedmap bits, but the map belongs to the RAM load state, which qemu_loadvm_state_cleanup "
            + "frees at the end of qemu_loadvm_state, while the recv threads live until migration_incoming_state_destroy joins them. When the load ends with "
            + "the threads still reading (here: the main stream breaks, as in a cancelled migration), a thread sets bits in the freed map: a segfault in "
            + "migration-test CI. The fix moves the load cleanup after multifd_recv_cleanup; the twin without the receivedmap writes (9.0) is clean. One "
            + "channel, so the source cannot meet the two-channel error-path hang this project found.",
            PropertyId.NoUseAfterFree,
            Scenario.Small(Qemu90Socket.Instance, FlushSetting.Off, channels: 1, errors: ErrorSides.Main, mutations: Mutation.RecvSetsReceivedMap),
            new ZooModel(Qemu90Socket.Instance, FlushSetting.Off, ErrorSides.Main, Mutation.RecvSetsReceivedMap, Channels: 1)),

        new("5.10 SYNC packet carrying pages vs a receiver that skips it", "b93d897ea2f0abbe7fc341a9ac176b5ecd0f3c93", "migration/multifd: Fix compat with QEMU < 9.0 (after d7e58f41, Don't send ram data during SYNC)",
            "A pre-9.0 source could put pages on a SYNC packet; 9.2 stopped unfilling SYNC packets because its own never carry data. Together the pages "
            + "riding on a SYNC stay unread in the stream: lost when it is the last SYNC, and otherwise the next header is read from inside them and the "
            + "channel dies (GitLab #2720, 7.1 -> 9.2, \"Broken pipe\"). The fix always unfills. Each half alone is harmless.",
            PropertyId.RoundTrip,
            Scenario.Small(Qemu82Socket.Instance, FlushSetting.On, mutations: Mutation.SyncCarriesPages | Mutation.RecvSkipsSyncPayload, liveRounds: 0),
            new ZooModel(Qemu82Socket.Instance, FlushSetting.On, ErrorSides.None, Mutation.SyncCarriesPages | Mutation.RecvSkipsSyncPayload, Rounds: 0)),

        new("§4(a) F differs between source and destination", "77c259a4cb (with b05292c2, 294e5a40)", "multifd: Create property multifd-flush-after-each-section",
            "Machine types up to 8.0 set multifd_flush_after_each_section on, newer ones off, and the two sides read it from their own machine type. With the "
            + "source on and the destination off, the destination's channels park at the first SYNC packet waiting for a release that only a FLUSH would "
            + "bring; the socket fills and the source's sync blocks. With source off and destination on, the destination waits at EOS for SYNC packets the "
            + "source never sends.",
            PropertyId.NoDeadlock,
            Scenario.Small(Qemu82Socket.Instance, new FlushSetting(true, false)),
            new ZooModel(Qemu82Socket.Instance, new FlushSetting(true, false), ErrorSides.None, Mutation.None)),
    ];
}
