namespace SyncModel.Cli.Hostile;

/// <summary>Bytes that replace a file's bytes at <see cref="Offset"/>.</summary>
public sealed record Patch(long Offset, byte[] Bytes)
{
    public override string ToString() => $"0x{Offset:x}: {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 16))).ToLowerInvariant()}{(Bytes.Length > 16 ? $"... ({Bytes.Length} bytes)" : "")}";
}
