namespace SyncModel.Model;

/// <summary>Which side's channel IO the model may fail (at most one failure per run).</summary>
[Flags]
public enum ErrorSides
{
    /// <summary>No IO fails.</summary>
    None = 0,
    /// <summary>A send channel's write may fail (reference §2.3 error path: the thread kicks the migration thread and exits).</summary>
    Source = 1,
    /// <summary>A recv channel's read may fail (reference §3.2 error path: terminate the recv threads; §3.7).</summary>
    Destination = 2,
    /// <summary>Either side.</summary>
    Both = Source | Destination,
}
