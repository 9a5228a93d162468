namespace SyncModel.Protocol.Config;

/// <summary>One migratable RAM block: its idstr and used length in bytes.</summary>
public sealed record RamBlockSpec(string Name, long UsedLength)
{
    /// <summary>The longest idstr QEMU can write (<c>u8 idlen</c>).</summary>
    public const int MaxNameLength = 255;
}
