namespace SyncModel.Implementation.IO;

/// <summary>
/// The source's main channel (QEMUFile) over a socket: the stream writer's buffered writes go out in order.
/// A socket cannot seek, so every write must start where the previous one ended; reading is not possible.
/// </summary>
internal sealed class OutgoingStreamFile(SocketEndpoint socket) : IMigrationFile
{
    private long _length;

    /// <summary>Bytes sent so far.</summary>
    public long Length => _length;

    public int Read(Span<byte> buffer, long offset) => throw new NotSupportedException("the outgoing main channel is write-only");

    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        if (offset != _length)
            throw new InvalidOperationException($"the main channel is a stream: a write at 0x{offset:x} does not continue at 0x{_length:x}");
        socket.Write(data);
        _length += data.Length;
    }

    public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset)
    {
        foreach (var b in buffers)
        {
            Write(b.Span, offset);
            offset += b.Length;
        }
    }

    public void Dispose()
    {
    }
}
