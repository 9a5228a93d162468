using SyncModel.Model.State;

namespace SyncModel.Model.Machine;

/// <summary>What kind of argument an action takes.</summary>
internal enum ArgKind
{
    /// <summary>No argument (the domain is the single value 0).</summary>
    None,
    /// <summary>A channel index (canonical position when the symmetry reduction is on).</summary>
    Channel,
    /// <summary>A send's channel and, for the guest abstraction's undecided contents, what the page holds: channel * 2 +
    /// (1 = data, 0 = zero or already decided).</summary>
    ChannelContent,
    /// <summary>A guest write: page * 2 + (1 for data, 0 for zero content), or just the page when the guest abstraction
    /// leaves the content to the next send.</summary>
    GuestWrite,
    /// <summary>A number that names no channel word: the channel creation's first failing channel in creation order (N = none).</summary>
    Index,
    /// <summary>The source's join with the guest abstraction: the chunk count of the file it leaves (0 otherwise).</summary>
    ChunkCount,
}

/// <summary>One named thread step of the model: its enabling condition and its effect. The name is the thread and the
/// <c>EventKind</c> the step is named after ("send.WriteBegin", "dest.LoadCleanup").</summary>
internal sealed record ModelAction(
    string Name,
    ArgKind Arg,
    int[] Domain,
    Func<ModelState, int, bool> Guard,
    Func<ModelState, int, EventSink?, ModelState> Apply);
