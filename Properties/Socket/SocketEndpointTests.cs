using SyncModel.Implementation.IO;

namespace SyncModel.Properties.Socket;

/// <summary>The in-process connection behaves like a loopback socket: bounded, FIN drains, shutdown and reset wake blocked calls.</summary>
public sealed class SocketEndpointTests
{
    [Fact]
    public void Bytes_arrive_in_order_through_a_buffer_smaller_than_the_data()
    {
        var (a, b) = SocketEndpoint.Pair(7);
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var writer = new Thread(() =>
        {
            a.Write(data);
            a.Shutdown();
        });
        writer.Start();
        var got = new byte[1000];
        Assert.True(b.ReadExactly(got));
        Assert.Equal(data, got);
        Assert.False(b.ReadExactly(new byte[1]), "after the peer's FIN and the data: end of stream");
        writer.Join();
    }

    [Fact]
    public void A_writer_blocked_on_a_full_buffer_fails_when_the_reader_shuts_down()
    {
        var (a, b) = SocketEndpoint.Pair(4);
        Exception? error = null;
        var writer = new Thread(() =>
        {
            try { a.Write(new byte[16]); }
            catch (IOException e) { error = e; }
        });
        writer.Start();
        Assert.False(writer.Join(100), "the writer should block on the full buffer");
        b.Shutdown();
        Assert.True(writer.Join(5000));
        Assert.Contains("broken pipe", error?.Message);
        Assert.Equal(0, b.Read(new byte[4]));
    }

    [Fact]
    public void A_reset_wakes_a_blocked_reader_with_its_reason()
    {
        var (a, b) = SocketEndpoint.Pair(4);
        Exception? error = null;
        var reader = new Thread(() =>
        {
            try { b.Read(new byte[4]); }
            catch (IOException e) { error = e; }
        });
        reader.Start();
        Assert.False(reader.Join(100), "the reader should block on the empty buffer");
        a.Abort("the source failed");
        Assert.True(reader.Join(5000));
        Assert.Equal("connection reset: the source failed", error?.Message);
    }

    [Fact]
    public void A_stream_cut_inside_a_record_is_an_error_not_an_end()
    {
        var (a, b) = SocketEndpoint.Pair(64);
        a.Write(new byte[3]);
        a.Shutdown();
        Assert.Throws<EndOfStreamException>(() => b.ReadExactly(new byte[8]));
    }
}
