namespace SyncModel.Implementation.IO;

/// <summary>
/// One end of an in-process, bidirectional stream connection (a loopback socket): it writes into one
/// <see cref="BytePipe"/> and reads from the other, each bounded like a socket buffer. A fault plan may fail
/// calls on this end (offsets are positions in this end's outgoing or incoming byte stream), like an EIO or
/// ECONNRESET from the kernel. Safe for one writer and one reader at a time, plus shutdown from any thread;
/// the byte counts belong to the writing and the reading thread respectively.
/// </summary>
public sealed class SocketEndpoint
{
    private readonly BytePipe _in;
    private readonly BytePipe _out;
    private readonly IFaultPlan? _faults;
    private long _written;
    private long _read;

    private SocketEndpoint(BytePipe incoming, BytePipe outgoing, IFaultPlan? faults)
    {
        _in = incoming;
        _out = outgoing;
        _faults = faults;
    }

    /// <summary>
    /// A connected pair; each direction buffers at most <paramref name="bufferBytes"/> bytes. The fault plans,
    /// if any, fail IO on the first (source) or second (destination) end.
    /// </summary>
    public static (SocketEndpoint Source, SocketEndpoint Destination) Pair(int bufferBytes, IFaultPlan? sourceFaults = null, IFaultPlan? destinationFaults = null)
    {
        var forward = new BytePipe(bufferBytes);
        var backward = new BytePipe(bufferBytes);
        return (new SocketEndpoint(backward, forward, sourceFaults), new SocketEndpoint(forward, backward, destinationFaults));
    }

    /// <summary>Bytes this end has read so far (for its reader: the offset of the next byte it reads).</summary>
    public long BytesRead => _read;

    /// <summary>Writes all of <paramref name="data"/> (blocking while the peer's buffer is full).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (_faults?.ShouldFail(FileOperation.Write, _written, data.Length) == true)
            throw new InjectedFaultException($"injected write error: {data.Length} bytes at stream offset 0x{_written:x}");
        _out.Write(data);
        _written += data.Length;
    }

    /// <summary>Reads at least one byte (blocking while nothing arrived); 0 = end of stream.</summary>
    public int Read(Span<byte> buffer)
    {
        if (_faults?.ShouldFail(FileOperation.Read, _read, buffer.Length) == true)
            throw new InjectedFaultException($"injected read error: {buffer.Length} bytes at stream offset 0x{_read:x}");
        var n = _in.Read(buffer);
        _read += n;
        return n;
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> (<c>qio_channel_read_all_eof</c>): false when the stream ended before its
    /// first byte; throws <see cref="EndOfStreamException"/> when it ends part way.
    /// </summary>
    public bool ReadExactly(Span<byte> buffer)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var n = Read(buffer[done..]);
            if (n == 0)
            {
                if (done == 0) return false;
                throw new EndOfStreamException($"unexpected end of stream after {done} of {buffer.Length} bytes");
            }
            done += n;
        }
        return true;
    }

    /// <summary>
    /// <c>qio_channel_shutdown(BOTH)</c>: the peer reads what was sent and then end of stream; this end's reads
    /// return end of stream at once; writes in either direction fail from now on.
    /// </summary>
    public void Shutdown()
    {
        _out.CloseWrite();
        _in.CloseRead();
    }

    /// <summary>Resets the connection: every blocked or later call on either end fails with <paramref name="reason"/>.</summary>
    public void Abort(string reason)
    {
        _out.Abort(reason);
        _in.Abort(reason);
    }
}
