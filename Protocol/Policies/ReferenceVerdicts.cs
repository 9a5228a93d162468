using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Policies;

/// <summary>
/// What the reference's §4 summary matrix says each preset does (Q1 cleanup with IO pending, Q2 deadlock): the
/// property a checker must find broken, or null when the protocol holds. File-mode presets are judged with
/// matching F on both sides; destination errors add the §3.7 hang for the re-entrant recv sync. Socket
/// multifd (§4(a)) holds with matching F and deadlocks when the two sides' F differ.
/// </summary>
public static class ReferenceVerdicts
{
    public static string? Expected(SyncPolicy policy, FlushSetting flush, ErrorSides errors)
    {
        if (policy.Transport != Transport.File)
            return flush.Source != flush.Destination ? nameof(PropertyId.NoDeadlock) : errors == ErrorSides.None ? null : "?";
        string? normal = policy switch
        {
            FixedRamV4 => flush.Destination || flush.Source ? nameof(PropertyId.DrainBeforeCleanup) : null, // §4(b)
            PeterXuOneShot => nameof(PropertyId.NoDeadlock), // §4(c): the second ram_load's sync
            _ => null, // §4(c) re-entrant, §4(d), §4(e)
        };
        if (normal is not null || errors == ErrorSides.None) return normal;
        // §3.7: a recv channel that dies never posts the shared sem_sync.
        return policy.RecvSync == RecvSyncKind.Reentrant && errors.HasFlag(ErrorSides.Destination) ? nameof(PropertyId.NoDeadlock) : "?";
    }

    /// <summary>"holds", a property name, or "?" where the reference does not say.</summary>
    public static string Describe(string? expected) => expected ?? "holds";
}
