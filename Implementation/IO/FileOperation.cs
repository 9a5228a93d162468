namespace SyncModel.Implementation.IO;

/// <summary>An IO call a channel makes: positional reads and writes, and its creation.</summary>
public enum FileOperation
{
    Read,
    Write,
    /// <summary>A send channel's creation: the connect (or open) of its IO channel, before its thread exists (docs/protocol.md §5.4).</summary>
    Connect,
}
