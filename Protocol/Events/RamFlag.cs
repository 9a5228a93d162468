namespace SyncModel.Protocol.Events;

/// <summary>RAM record flags that matter to synchronization (docs/protocol.md §1.3).</summary>
public enum RamFlag : byte
{
    None = 0,
    /// <summary>RAM_SAVE_FLAG_EOS (0x10).</summary>
    Eos,
    /// <summary>RAM_SAVE_FLAG_MULTIFD_FLUSH (0x200).</summary>
    Flush,
}
