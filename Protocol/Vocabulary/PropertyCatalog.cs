using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Vocabulary;

/// <summary>
/// Each property's meaning, written once: the statement its checker and the model's requirement enforce, the phrase a
/// verdict uses when it breaks, and where it comes from. Checkers, the model, the command line's help, the reports and the
/// HTML viewer all take their words from here.
/// </summary>
public static class PropertyCatalog
{
    public static IReadOnlyList<PropertyInfo> All { get; } =
    [
        new(PropertyId.DrainBeforeCleanup,
            "At LoadCleanup, VmStart and Shutdown of a load that has not failed, no recv chunk (or packet) is queued or in flight, and every chunk handed to a channel was read: none is dropped because its thread saw exiting or failed.",
            "the destination cleans up or starts the VM while a recv chunk is still queued, being read, or lost",
            "docs/protocol.md §7.3, §4(b)"),
        new(PropertyId.SendDrainBeforeBitmap,
            "When a save that has not failed writes or frees the file bitmap, or closes its channels, no send batch is pending or being written.",
            "the source writes or frees the file bitmap while a batch is still pending or being written",
            "docs/protocol.md §7.2, §1.4, §4(e)"),
        new(PropertyId.NoStalePage,
            "After a save, every page's file slot holds the page's newest contents, and its bitmap bit is 1 exactly when those contents are not all zero.",
            "the file ends with a page slot or bitmap bit that does not match the guest's newest contents",
            "docs/protocol.md §7.1, §1.5"),
        new(PropertyId.RoundTrip,
            "Loading what the save wrote restores the guest's RAM as of completion, byte for byte.",
            "the restored RAM differs from the guest as of completion",
            "docs/design.md"),
        new(PropertyId.NoDeadlock,
            "Every run terminates: every wait is eventually matched by a post.",
            "the run deadlocks: every thread waits for a post that never comes",
            "docs/protocol.md §7.5, §2.9, §3.7"),
        new(PropertyId.SemaphoreAccounting,
            "channels_ready holds one token per idle, unclaimed channel; each post on a channel's sem stands for exactly one job or one sync request; every post a recv channel makes on the shared sem_sync is collected by a recv sync before the destination shuts its channels down; a channel found idle holds no batch or chunk.",
            "a semaphore post does not match one job or one sync, or a job was handed to a channel that still held one",
            "docs/protocol.md §7.6, §2.4, §5.1, §5.3, §5.7"),
        new(PropertyId.NoUseAfterFree,
            "No thread touches state another thread has freed: the file bitmap after ram_save_file_bmap, the receivedmap after the load cleanup, a channel's semaphores, batch, chunk or packet after its cleanup.",
            "a thread touches state that was already freed",
            "docs/protocol.md §7.4, §5.4, §5.9"),
        new(PropertyId.ErrorSurfaces,
            "A run in which a channel failed ends in failure, not in a reported success.",
            "a channel failed but the migration reported success",
            "docs/design.md, docs/protocol.md §3.7"),
        new(PropertyId.NoUnexpectedFailure,
            "A run with no injected fault completes; a run with one fails only with that fault or the transport errors it causes; any other exception in any thread (a crash, an assertion of QEMU's) is a violation, reported with the thread, the exception and its stack.",
            "a thread failed with an error no injected fault explains",
            "docs/design.md"),
        new(PropertyId.ThreadLifetime,
            "Every channel thread that starts is joined before its channel's state is freed, and when the run ends none is left running or blocked.",
            "a channel's state is freed before its thread was joined, or a thread outlives the run",
            "docs/design.md, docs/protocol.md §2.8, §3.6, §5.14"),
    ];

    private static readonly Dictionary<PropertyId, PropertyInfo> ById = All.ToDictionary(p => p.Id);

    public static PropertyInfo Of(PropertyId id) => ById[id];

    /// <summary>Parses a property id as the command line, the reports and the JSON spell it (case-insensitive).</summary>
    public static PropertyId Parse(string id) => Enum.TryParse<PropertyId>(id, ignoreCase: true, out var p) && Enum.IsDefined(p)
        ? p
        : throw new FormatException($"property '{id}': expected one of {string.Join(", ", All.Select(x => x.Id))}");

    /// <summary>One line per property, for help texts.</summary>
    public static string Help() => string.Join("\n", All.Select(p => $"  {p.Id}: {p.Statement}"));
}

/// <summary>One property: its id, what it states, how a verdict says it broke, and its sources.</summary>
public sealed record PropertyInfo(PropertyId Id, string Statement, string Broken, string Sources);
