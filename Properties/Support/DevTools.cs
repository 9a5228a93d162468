using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace SyncModel.Properties.Support;

/// <summary>One DevTools protocol event: the page session it came from (null: the browser), its method and its params.</summary>
public sealed record DevToolsEvent(string? Session, string Method, JsonElement Params);

/// <summary>
/// The Chrome DevTools protocol over one WebSocket to the browser endpoint, flat sessions for pages
/// (<c>Target.attachToTarget</c> with <c>flatten</c>). Blocking calls, each bounded by a timeout; a thread of its own reads
/// the socket and keeps every event. No async methods: this assembly is rewritten for Coyote.
/// </summary>
public sealed class DevTools : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly object _sending = new();
    private readonly Dictionary<int, JsonElement> _responses = [];
    private readonly List<DevToolsEvent> _events = [];
    private readonly Thread _reader;
    private int _next;
    private string? _broken;

    private DevTools(Uri endpoint, TimeSpan timeout)
    {
        using var connect = new CancellationTokenSource(timeout);
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        _socket.ConnectAsync(endpoint, connect.Token).GetAwaiter().GetResult();
        _reader = new Thread(Read) { IsBackground = true, Name = "DevTools reader" };
        _reader.Start();
    }

    public static DevTools Connect(Uri endpoint) => new(endpoint, DefaultTimeout);

    /// <summary>Sends <paramref name="method"/> and waits for its result; throws on a protocol error or after the timeout.</summary>
    public JsonElement Call(string method, object? parameters = null, string? session = null, TimeSpan? timeout = null)
    {
        int id;
        lock (_gate) id = ++_next;
        var message = new Dictionary<string, object?> { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new { } };
        if (session is not null) message["sessionId"] = session;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        lock (_sending)
        {
            using var send = new CancellationTokenSource(timeout ?? DefaultTimeout);
            _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, send.Token).GetAwaiter().GetResult();
        }
        var response = WaitUntil(() => (_responses.Remove(id, out var r), r), timeout ?? DefaultTimeout, $"the answer to {method}");
        if (response.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{method} failed: {error}");
        return response.TryGetProperty("result", out var result) ? result : default;
    }

    /// <summary>Every event so far from <paramref name="session"/>.</summary>
    public IReadOnlyList<DevToolsEvent> Events(string? session)
    {
        lock (_gate) return [.. _events.Where(e => e.Session == session)];
    }

    /// <summary>Waits for the first event <paramref name="method"/> of <paramref name="session"/> after the first <paramref name="skip"/> of them.</summary>
    public DevToolsEvent WaitForEvent(string? session, string method, int skip, TimeSpan timeout)
        => WaitUntil(() =>
        {
            var e = _events.Where(e => e.Session == session && e.Method == method).Skip(skip).FirstOrDefault();
            return (e is not null, e!);
        }, timeout, $"the event {method}");

    private T WaitUntil<T>(Func<(bool Found, T Value)> probe, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        lock (_gate)
        {
            while (true)
            {
                var (found, value) = probe();
                if (found) return value;
                if (_broken is not null) throw new InvalidOperationException($"DevTools connection lost while waiting for {what}: {_broken}");
                var left = timeout - watch.Elapsed;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"no {what} within {timeout}");
                Monitor.Wait(_gate, left);
            }
        }
    }

    private void Read()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var r = _socket.ReceiveAsync(buffer, _stop.Token).GetAwaiter().GetResult();
                if (r.MessageType == WebSocketMessageType.Close) throw new WebSocketException("the browser closed the connection");
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                using var doc = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                var root = doc.RootElement.Clone();
                lock (_gate)
                {
                    if (root.TryGetProperty("id", out var id)) _responses[id.GetInt32()] = root;
                    else
                    {
                        var session = root.TryGetProperty("sessionId", out var s) ? s.GetString() : null;
                        _events.Add(new DevToolsEvent(session, root.GetProperty("method").GetString() ?? "", root.TryGetProperty("params", out var p) ? p : default));
                    }
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or JsonException or ObjectDisposedException)
        {
            lock (_gate)
            {
                _broken = e.Message;
                Monitor.PulseAll(_gate);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", close.Token).GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser is going away anyway.
        }
        _reader.Join(TimeSpan.FromSeconds(5));
        _socket.Dispose();
        _stop.Dispose();
    }
}
