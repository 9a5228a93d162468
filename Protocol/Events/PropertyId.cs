namespace SyncModel.Protocol.Events;

/// <summary>The properties of docs/design.md, one checker each.</summary>
public enum PropertyId
{
    /// <summary>At LoadCleanup, VmStart, Shutdown of a load that has not failed: no recv chunk queued or in flight; every queued chunk was read.</summary>
    DrainBeforeCleanup,
    /// <summary>At FileBitmapWrite/FileBitmapFree and file close: no send batch pending or in flight.</summary>
    SendDrainBeforeBitmap,
    /// <summary>After save: every page's slot holds its newest version; bitmap bit = 1 exactly for pages whose newest version is non-zero.</summary>
    NoStalePage,
    /// <summary>load(save(guest)) == guest as of completion, byte for byte.</summary>
    RoundTrip,
    /// <summary>Every run terminates.</summary>
    NoDeadlock,
    /// <summary>Tokens in channels_ready = idle unclaimed channels; each sem post = exactly one job or one sync; every recv post on the shared sem_sync is collected by a recv sync before the destination shuts its channels down.</summary>
    SemaphoreAccounting,
    /// <summary>No channel touches a freed receivedmap / file bitmap / channel structure.</summary>
    NoUseAfterFree,
    /// <summary>An injected IO error ends the migration with that error; no thread left blocked.</summary>
    ErrorSurfaces,
    /// <summary>A run with no injected fault completes; a run with one fails only with that fault (or the transport errors it
    /// causes); any other exception in any thread is a violation, reported with the thread, the exception and its stack.</summary>
    NoUnexpectedFailure,
    /// <summary>Every channel thread created is joined before its channel's state is freed, touches nothing after, and none is
    /// left running or blocked when the run ends.</summary>
    ThreadLifetime,
}
