namespace SyncModel.Model.State;

/// <summary>A channel's place in the main thread's current sync loop.</summary>
internal enum SyncTurn
{
    None = 0,
    /// <summary>Asked (send: <c>pending_sync</c> set); the main thread has not waited for it yet.</summary>
    Requested = 1,
    /// <summary>The main thread checked <c>exiting</c> and now blocks on this channel.</summary>
    Waiting = 2,
    /// <summary>Waited for.</summary>
    Done = 3,
}
