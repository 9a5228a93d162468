namespace SyncModel.Protocol.Events;

/// <summary>The threads of a migration, one lifeline each in a report.</summary>
public enum ActorKind : byte
{
    /// <summary>The source's migration thread.</summary>
    Migration,
    /// <summary>A multifd send channel thread.</summary>
    Sender,
    /// <summary>The guest's vCPUs writing RAM during a live save.</summary>
    Guest,
    /// <summary>The destination's main thread (the incoming coroutine and its BH).</summary>
    Destination,
    /// <summary>A multifd recv channel thread.</summary>
    Receiver,
}
