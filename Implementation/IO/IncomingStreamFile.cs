namespace SyncModel.Implementation.IO;

/// <summary>
/// The destination's main channel (QEMUFile) over a socket, as the positional view the stream reader expects:
/// a read at an offset not received yet blocks until bytes arrive; what arrived is kept (the main stream holds
/// no pages, so it stays small) so the reader may read a buffered position again. The length is unknown
/// (<see cref="long.MaxValue"/>): the end of the stream shows as a short read.
/// </summary>
internal sealed class IncomingStreamFile(SocketEndpoint socket) : IMigrationFile
{
    /// <summary>The most the main stream may hold; far above any stream without pages.</summary>
    public const int MaxBytes = 64 << 20;

    private byte[] _received = new byte[4096];
    private int _count;
    private bool _ended;

    public long Length => long.MaxValue;

    public int Read(Span<byte> buffer, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        while (_count <= offset && !_ended) Receive();
        if (_count <= offset) return 0;
        var n = (int)Math.Min(buffer.Length, _count - offset);
        _received.AsSpan((int)offset, n).CopyTo(buffer);
        return n;
    }

    private void Receive()
    {
        if (_count == _received.Length)
        {
            if (_received.Length >= MaxBytes)
                throw new IOException($"the main channel sent more than {MaxBytes} bytes: a stream without pages is never that long");
            Array.Resize(ref _received, _received.Length * 2);
        }
        var n = socket.Read(_received.AsSpan(_count));
        if (n == 0) _ended = true;
        _count += n;
    }

    public void Write(ReadOnlySpan<byte> data, long offset) => throw new NotSupportedException("the incoming main channel is read-only");

    public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset) => throw new NotSupportedException("the incoming main channel is read-only");

    public void Dispose()
    {
    }
}
