namespace SyncModel.Model.State;

/// <summary>A channel thread's phase.</summary>
internal enum ChannelPhase
{
    /// <summary>At the top of its loop or waiting on <c>p->sem</c>.</summary>
    Idle = 0,
    /// <summary>Between <c>WriteBegin</c>/<c>ReadBegin</c> and the end of that IO.</summary>
    Busy = 1,
    /// <summary>Left its loop.</summary>
    Exited = 2,
    /// <summary>Left its loop on an IO error.</summary>
    Failed = 3,
}
