namespace SyncModel.Implementation.IO;

/// <summary>
/// One direction of an in-process socket: a bounded ring of bytes between a writer and a reader, built on
/// <see cref="Monitor"/> over a plain object so an exploration engine controls every wait. A full ring blocks
/// the writer (the back-pressure a real socket buffer gives, docs/protocol.md §4(a)); an empty one blocks the reader.
/// <list type="bullet">
/// <item><see cref="CloseWrite"/> (FIN): the reader drains what is left, then reads end of stream.</item>
/// <item><see cref="CloseRead"/> (the reader shut its side down): unread bytes are dropped, reads return end
/// of stream, writes fail with "broken pipe".</item>
/// <item><see cref="Abort"/> (reset): every blocked or later call on either side fails with the reason.</item>
/// </list>
/// </summary>
internal sealed class BytePipe
{
    private readonly object _gate = new();
    private readonly byte[] _ring;
    private int _head;
    private int _count;
    private bool _writeClosed;
    private bool _readClosed;
    private string? _reset;

    public BytePipe(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new byte[capacity];
    }

    public int Capacity => _ring.Length;

    /// <summary>Writes all of <paramref name="data"/>, blocking while the ring is full.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int n;
            lock (_gate)
            {
                while (WriteBlocked()) Monitor.Wait(_gate);
                n = CopyIn(data);
                Monitor.PulseAll(_gate);
            }
            data = data[n..];
        }
    }

    /// <summary>Reads at least one byte, blocking while the ring is empty; 0 = end of stream.</summary>
    public int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        lock (_gate)
        {
            while (ReadBlocked()) Monitor.Wait(_gate);
            if (_readClosed || _count == 0) return 0;
            var n = CopyOut(buffer);
            Monitor.PulseAll(_gate);
            return n;
        }
    }

    public void CloseWrite()
    {
        lock (_gate)
        {
            _writeClosed = true;
            Monitor.PulseAll(_gate);
        }
    }

    public void CloseRead()
    {
        lock (_gate)
        {
            _readClosed = true;
            _count = 0;
            Monitor.PulseAll(_gate);
        }
    }

    public void Abort(string reason)
    {
        lock (_gate)
        {
            _reset ??= reason;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Under the gate: true while the writer must wait; throws when it never may write again.</summary>
    private bool WriteBlocked()
    {
        if (_reset is not null) throw new IOException($"connection reset: {_reset}");
        if (_readClosed) throw new IOException("broken pipe: the peer shut its side of the connection down");
        if (_writeClosed) throw new IOException("write after this side of the connection was shut down");
        return _count == _ring.Length;
    }

    private bool ReadBlocked()
    {
        if (_reset is not null) throw new IOException($"connection reset: {_reset}");
        return !_readClosed && !_writeClosed && _count == 0;
    }

    private int CopyIn(ReadOnlySpan<byte> data)
    {
        var tail = (_head + _count) % _ring.Length;
        var n = Math.Min(data.Length, Math.Min(_ring.Length - _count, _ring.Length - tail));
        data[..n].CopyTo(_ring.AsSpan(tail, n));
        _count += n;
        return n;
    }

    private int CopyOut(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, Math.Min(_count, _ring.Length - _head));
        _ring.AsSpan(_head, n).CopyTo(buffer);
        _head = (_head + n) % _ring.Length;
        _count -= n;
        return n;
    }
}
