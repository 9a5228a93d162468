using SyncModel.Protocol.Events;

namespace SyncModel.Model.Conformance;

/// <summary>
/// What the validator may be told about page contents, which no event carries (zero detection happens inside a send
/// channel). Without it every content is tried: each page may hold data or zeros before the save and after each guest
/// write, and the trace decides only when the load reads the file bitmap. With it the validator follows the one run
/// that has the guest's real contents, which is both stricter and much faster.
/// </summary>
public sealed record PageContents
{
    /// <summary>Whether page <c>page</c> of block <c>block</c> holds data (not all zero) before the save; null = unknown.</summary>
    public Func<int, long, bool>? InitiallyData { get; init; }

    /// <summary>Whether a <see cref="EventKind.GuestWrite"/> event wrote data (true) or zeros (false); null here or as
    /// the answer = unknown.</summary>
    public Func<TraceEvent, bool?>? WriteIsData { get; init; }
}
