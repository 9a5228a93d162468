namespace SyncModel.Implementation.IO;

/// <summary>
/// Wraps a file and throws an <see cref="IOException"/> where the plan says, like an EIO from pwritev/pread;
/// everything above the positional calls is the production code.
/// </summary>
public sealed class FaultInjectingFile(IMigrationFile inner, IFaultPlan plan) : IMigrationFile
{
    public long Length => inner.Length;

    public int Read(Span<byte> buffer, long offset)
    {
        Check(FileOperation.Read, offset, buffer.Length);
        return inner.Read(buffer, offset);
    }

    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        Check(FileOperation.Write, offset, data.Length);
        inner.Write(data, offset);
    }

    public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset)
    {
        var length = 0;
        foreach (var b in buffers) length += b.Length;
        Check(FileOperation.Write, offset, length);
        inner.Write(buffers, offset);
    }

    /// <summary>The wrapper does not own the inner file.</summary>
    public void Dispose()
    {
    }

    private void Check(FileOperation op, long offset, int length)
    {
        if (plan.ShouldFail(op, offset, length))
            throw new InjectedFaultException($"injected {op.ToString().ToLowerInvariant()} error: {length} bytes at offset 0x{offset:x}");
    }
}
