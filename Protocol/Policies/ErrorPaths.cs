namespace SyncModel.Protocol.Policies;

/// <summary>
/// What a QEMU release's multifd code does when something fails (docs/protocol.md §2.8, §2.9, §3.7): how a failing send
/// thread tells the others, whether the send sync checks <c>exiting</c> before its waits, how a failed channel creation
/// is reported per transport, what the recv side's termination posts, and the two error-path fixes this project
/// proposes (docs/fixes/). Part of a <see cref="SyncPolicy"/>, so the Implementation and the Model follow the same
/// release; a fix is one more preset.
/// </summary>
public sealed record ErrorPaths
{
    /// <summary>How a send channel thread that hits an IO error ends.</summary>
    public required SendFailure SendFailure { get; init; }

    /// <summary>
    /// <c>multifd_send_sync_main</c> checks <c>exiting</c> before each wait of its second loop (9.0+, multifd.c:883 @9.0);
    /// 8.2's second loop checks nothing (634-645 @8.2), its first loop checks each channel's <c>quit</c> (622).
    /// </summary>
    public required bool SyncChecksExiting { get; init; }

    /// <summary>How send channels are created and how a failed creation is reported.</summary>
    public required ChannelCreation Creation { get; init; }

    /// <summary>What <c>multifd_recv_terminate_threads</c> posts.</summary>
    public required RecvTermination RecvTermination { get; init; }

    /// <summary>The proposed fixes this policy applies (none for a QEMU release).</summary>
    public ErrorFixes Fixes { get; init; }

    /// <summary>QEMU 8.2, socket multifd (multifd.c @8.2).</summary>
    public static readonly ErrorPaths Qemu82 = new()
    {
        SendFailure = SendFailure.TerminateThenKick,
        SyncChecksExiting = false,
        Creation = ChannelCreation.SocketUnwaited,
        RecvTermination = RecvTermination.QuitFlag,
    };

    /// <summary>QEMU 9.0 file migration (and the v4 series and the review's proposals, which it merged or built on).</summary>
    public static readonly ErrorPaths Qemu90File = new()
    {
        SendFailure = SendFailure.SetErrorAndKick,
        SyncChecksExiting = true,
        Creation = ChannelCreation.FileStopAtFailure,
        RecvTermination = RecvTermination.KickChannels,
    };

    /// <summary>QEMU 9.0+ socket multifd.</summary>
    public static readonly ErrorPaths Qemu90Socket = Qemu90File with { Creation = ChannelCreation.SocketWaited };

    /// <summary>QEMU 9.1+ file migration (<c>0bd5b9284f</c>: every channel's creation is attempted), through 10.x and master.</summary>
    public static readonly ErrorPaths Qemu91File = Qemu90File with { Creation = ChannelCreation.FileAttemptEvery };
}

/// <summary>How a send channel thread that failed its IO tells the others (docs/protocol.md §2.9).</summary>
public enum SendFailure
{
    /// <summary>
    /// 9.0+: <c>multifd_send_set_error</c> (sets <c>exiting</c>, records the error, FAILED; posts nothing), then
    /// <c>multifd_send_kick_main</c>: the failing channel's own <c>sem_sync</c> and one <c>channels_ready</c>.
    /// </summary>
    SetErrorAndKick,

    /// <summary>
    /// 8.2: the failing thread calls <c>multifd_send_terminate_threads(err)</c> itself (sets <c>exiting</c>, marks every
    /// channel <c>quit</c>, posts every <c>p->sem</c>, shuts every channel down), then posts its own <c>sem_sync</c> and one
    /// <c>channels_ready</c> (multifd.c:753-755 @8.2).
    /// </summary>
    TerminateThenKick,
}

/// <summary>How the send channels are created and how a failure is reported (docs/protocol.md §2.9, the creation table).</summary>
public enum ChannelCreation
{
    /// <summary>
    /// 8.2 sockets: each channel connects asynchronously and setup does not wait (no <c>channels_created</c>); a failed
    /// connect records the error, posts <c>channels_ready</c> and that channel's <c>sem_sync</c> and marks it <c>quit</c>,
    /// without setting <c>exiting</c> (multifd.c:861-876 @8.2). A creation that completes after cleanup uses freed state (§5.4).
    /// </summary>
    SocketUnwaited,

    /// <summary>
    /// 9.0+ sockets: asynchronous; setup waits one <c>channels_created</c> post per channel (<c>93fa9dc2</c>); a failed
    /// connect posts <c>channels_created</c> and then sets the error (<c>exiting</c>, FAILED), with no kick and no thread.
    /// </summary>
    SocketWaited,

    /// <summary>
    /// 9.0 files: synchronous, in channel order; at the first failure <c>multifd_send_setup</c> returns at once, before the
    /// later channels' semaphores are initialised, and the cleanup's terminate then posts to them: an assertion
    /// (fixed by <c>0bd5b9284f</c> in 9.1).
    /// </summary>
    FileStopAtFailure,

    /// <summary>9.1+ files: every channel's creation is attempted, failures are recorded, setup fails after all of them.</summary>
    FileAttemptEvery,
}

/// <summary>What the recv side's termination posts (docs/protocol.md §3.2, §3.7).</summary>
public enum RecvTermination
{
    /// <summary>8.2: sets each channel's <c>quit</c> and shuts its connection down; posts nothing. The cleanup posts the
    /// <c>sem_sync</c> of every running thread before joining it.</summary>
    QuitFlag,

    /// <summary>9.0+: posts every channel's <c>p->sem</c> (file) or <c>p->sem_sync</c> (socket) and shuts the connections
    /// down; never the shared <c>sem_sync</c>.</summary>
    KickChannels,
}

/// <summary>The error-path fixes this project proposes (docs/fixes/).</summary>
[Flags]
public enum ErrorFixes
{
    None = 0,

    /// <summary>
    /// The send-side sync hang (docs/protocol.md §2.9): every send thread kicks the migration thread when it leaves its
    /// loop, not only when it failed (<c>multifd_send_kick_main</c> moves out of the error branch).
    /// </summary>
    SendExitKicks = 1,

    /// <summary>
    /// The recv-side sync hang (docs/protocol.md §3.7): <c>multifd_recv_terminate_threads</c> also posts the shared
    /// <c>sem_sync</c> once per channel, and <c>multifd_recv_sync_main</c> returns an error when <c>exiting</c> is set
    /// after its waits, which fails the load.
    /// </summary>
    RecvTerminateWakesSync = 2,
}
