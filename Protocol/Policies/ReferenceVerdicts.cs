using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Policies;

/// <summary>
/// What docs/protocol.md says each preset does: the property a checker must find broken, null when the protocol holds, or
/// "?" where the document does not decide. Without errors: §4's summary matrix (Q1 cleanup with IO pending, Q2 deadlock),
/// file-mode presets judged with matching F on both sides, socket multifd (§4(a)) holding with matching F and deadlocking
/// when the two sides' F differ. With errors: a send error can hang the migration thread's sync (§2.9, every release);
/// a recv error hangs the re-entrant recv sync (§3.7); the fix presets remove the hang they fix (docs/fixes/); a failed
/// file channel creation crashes 9.0's cleanup (§2.9, the creation table).
/// </summary>
public static class ReferenceVerdicts
{
    private const string Undecided = "?";

    /// <param name="channels">The send hang needs a second channel: the failing channel's own kick wakes a sync waiting on it.</param>
    public static string? Expected(SyncPolicy policy, FlushSetting flush, ErrorSides errors, int channels = 2)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Transport != Transport.File) return Socket(policy, flush, errors, channels);
        string? normal = policy switch
        {
            FixedRamV4 => flush.Destination || flush.Source ? nameof(PropertyId.DrainBeforeCleanup) : null, // §4(b)
            PeterXuOneShot => nameof(PropertyId.NoDeadlock), // §4(c): the second ram_load's sync
            _ => null, // §4(c) re-entrant, §4(d), §4(e)
        };
        if (errors == ErrorSides.None) return normal;
        if (errors == ErrorSides.Connect)
        {
            // §2.9's creation table: 9.0 returns from multifd_send_setup at the first failed creation, and with a channel
            // after it the cleanup's terminate posts an uninitialised semaphore (0bd5b9284f); 9.1+ fails setup cleanly.
            var early = policy.Errors.Creation == ChannelCreation.FileStopAtFailure && channels > 1;
            const string crash = nameof(PropertyId.NoUnexpectedFailure);
            return !early ? normal : normal is null ? crash : normal + Or + crash;
        }
        if ((errors & ~ErrorSides.Both) != 0) return normal ?? Undecided;
        var fixes = policy.Errors.Fixes;
        var sendHang = errors.HasFlag(ErrorSides.Source) && channels > 1 && !fixes.HasFlag(ErrorFixes.SendExitKicks); // §2.9
        var recvHang = errors.HasFlag(ErrorSides.Destination) && policy.RecvSync == RecvSyncKind.Reentrant
            && !fixes.HasFlag(ErrorFixes.RecvTerminateWakesSync); // §3.7
        // Both bugs are there: a checker reports whichever its search meets first (the model's shortest is the hang, Coyote
        // meets v4's cleanup race in its first iteration, before any error).
        if (normal is not null) return (sendHang || recvHang) && normal != nameof(PropertyId.NoDeadlock) ? normal + Or + nameof(PropertyId.NoDeadlock) : normal;
        if (sendHang || recvHang) return nameof(PropertyId.NoDeadlock);
        // Without the hang: the fix presets hold; v4's one-shot sync lets a load with a failed read go on (a v4-only finding).
        return fixes != ErrorFixes.None ? null : Undecided;
    }

    /// <summary>Socket multifd: the two sides' F must match (§4(a)); on 9.0+ a send error hangs the sync like on a file
    /// (§2.9, every release, when a second channel is there to wait on), a recv read error hangs the recv sync (§3.7: the
    /// terminate posts each channel's own <c>sem_sync</c>, never the shared one, and the source still writes the FLUSH that
    /// starts the sync: docs/findings.md, finding 4 on sockets), and a failed channel creation is reported without a hang
    /// or a late creation (§2.9's creation table without TLS, §5.4). On 8.2 any failure can meet a creation that completes
    /// after the cleanup (§5.4) or hang (the send sync, §2.9; after a failed connect, the next dispatch with no channel
    /// left to post a token). Other errors are not decided.</summary>
    private static string? Socket(SyncPolicy policy, FlushSetting flush, ErrorSides errors, int channels)
    {
        // 8.2: setup does not wait for the creations, so a failure's cleanup can free a channel whose creation completes
        // later (§5.4, fixed by 93fa9dc2 in 9.0), and a send error hangs the sync (§2.9; its second loop checks nothing); a
        // failed connect posts one channels_ready token and no thread will post another, so with one channel the next
        // dispatch waits for ever. With F mismatched too, a checker meets one of them first.
        if (policy.Errors.Creation == ChannelCreation.SocketUnwaited && errors != ErrorSides.None)
            return nameof(PropertyId.NoUseAfterFree) + Or + nameof(PropertyId.NoDeadlock);
        if (flush.Source != flush.Destination) return nameof(PropertyId.NoDeadlock);
        if (errors == ErrorSides.None) return null;
        if (policy.Errors.Creation != ChannelCreation.SocketWaited) return Undecided;
        if (errors.HasFlag(ErrorSides.Destination) && !policy.Errors.Fixes.HasFlag(ErrorFixes.RecvTerminateWakesSync)) return nameof(PropertyId.NoDeadlock);
        if ((errors & ~(ErrorSides.Source | ErrorSides.Connect)) != 0) return Undecided;
        if ((errors & ErrorSides.Source) == 0) return null;
        return channels > 1 && !policy.Errors.Fixes.HasFlag(ErrorFixes.SendExitKicks) ? nameof(PropertyId.NoDeadlock) : Undecided;
    }

    /// <summary>What the document expects: no bug (<see cref="NoBug"/>), a property name, properties joined by
    /// <see cref="Or"/> when the configuration has several bugs, or "?" where it does not say.</summary>
    public static string Describe(string? expected) => expected ?? NoBug;

    /// <summary>Joins the properties of a configuration with several bugs: finding any one of them is as expected.</summary>
    public const string Or = " or ";

    /// <summary>Whether a checker that found <paramref name="found"/> (a property name, or <see cref="NoBug"/>) agrees with
    /// <paramref name="expected"/> (as <see cref="Describe"/> gives it).</summary>
    public static bool Allows(string expected, string found) =>
        expected == Undecided || expected.Split(Or).Contains(found, StringComparer.Ordinal);

    /// <summary>The document's expectation that a configuration has no bug (a statement about QEMU, not a checker's verdict).</summary>
    public const string NoBug = "no bug";
}
