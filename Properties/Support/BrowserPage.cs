using System.Globalization;
using System.Text.Json;

namespace SyncModel.Properties.Support;

/// <summary>
/// One tab of a <see cref="Chromium"/>, driven over <see cref="DevTools"/>: navigate, press keys, evaluate script, take a
/// screenshot; and what the page did meanwhile: its console errors and uncaught exceptions, and the URLs it requested.
/// </summary>
public sealed class BrowserPage : IDisposable
{
    private readonly DevTools _devTools;
    private readonly string _target;

    private BrowserPage(DevTools devTools, string target, string session)
    {
        _devTools = devTools;
        _target = target;
        Session = session;
    }

    public string Session { get; }

    /// <summary>A new blank tab of <paramref name="width"/>×<paramref name="height"/> CSS pixels, with the domains whose events the tests read enabled.</summary>
    public static BrowserPage Open(DevTools devTools, int width = 1280, int height = 900)
    {
        var target = devTools.Call("Target.createTarget", new { url = "about:blank" }).GetProperty("targetId").GetString()!;
        var session = devTools.Call("Target.attachToTarget", new { targetId = target, flatten = true }).GetProperty("sessionId").GetString()!;
        var page = new BrowserPage(devTools, target, session);
        foreach (var domain in (string[])["Page", "Runtime", "Log", "Network"]) page.Call(domain + ".enable");
        page.Resize(width, height);
        return page;
    }

    public JsonElement Call(string method, object? parameters = null) => _devTools.Call(method, parameters, Session);

    public void Resize(int width, int height)
        => Call("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false });

    /// <summary>Loads <paramref name="url"/> and waits for its load event.</summary>
    public void Navigate(string url)
    {
        var loads = _devTools.Events(Session).Count(e => e.Method == "Page.loadEventFired");
        var result = Call("Page.navigate", new { url });
        if (result.TryGetProperty("errorText", out var error)) throw new InvalidOperationException($"could not open {url}: {error.GetString()}");
        _devTools.WaitForEvent(Session, "Page.loadEventFired", loads, DevTools.DefaultTimeout);
    }

    /// <summary>The value of <paramref name="expression"/> (returned by value); throws if it threw.</summary>
    public JsonElement Evaluate(string expression)
    {
        var r = Call("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (r.TryGetProperty("exceptionDetails", out var ex)) throw new InvalidOperationException($"{expression} threw: {ex}");
        var result = r.GetProperty("result");
        return result.TryGetProperty("value", out var value) ? value : default;
    }

    public string EvaluateString(string expression) => Evaluate(expression).GetString() ?? "";

    public int EvaluateInt(string expression) => Evaluate(expression).GetInt32();

    public bool EvaluateBool(string expression) => Evaluate(expression).GetBoolean();

    /// <summary>Presses and releases <paramref name="key"/> ("ArrowRight", "Home", "End" or one character) as a keyboard would.</summary>
    public void Press(string key)
    {
        var (code, vk, text) = key switch
        {
            "ArrowRight" => ("ArrowRight", 39, null),
            "ArrowLeft" => ("ArrowLeft", 37, null),
            "Home" => ("Home", 36, null),
            "End" => ("End", 35, null),
            _ when key.Length == 1 && char.IsAsciiLetter(key[0]) => ("Key" + char.ToUpperInvariant(key[0]), (int)char.ToUpperInvariant(key[0]), key),
            _ => throw new ArgumentException($"no key code for '{key}'", nameof(key)),
        };
        Call("Input.dispatchKeyEvent", text is null
            ? new { type = "rawKeyDown", key, code, windowsVirtualKeyCode = vk }
            : (object)new { type = "keyDown", key, code, windowsVirtualKeyCode = vk, text });
        Call("Input.dispatchKeyEvent", new { type = "keyUp", key, code, windowsVirtualKeyCode = vk });
    }

    /// <summary>The viewport as a PNG.</summary>
    public byte[] Screenshot()
        => Convert.FromBase64String(Call("Page.captureScreenshot", new { format = "png" }).GetProperty("data").GetString()!);

    /// <summary>Uncaught exceptions, console errors and error log entries, in words.</summary>
    public IReadOnlyList<string> Errors() => [.. _devTools.Events(Session).Select(e => e.Method switch
    {
        "Runtime.exceptionThrown" => "exception: " + e.Params.GetProperty("exceptionDetails"),
        "Runtime.consoleAPICalled" when e.Params.GetProperty("type").GetString() is "error" or "assert" => "console: " + e.Params.GetProperty("args"),
        "Log.entryAdded" when e.Params.GetProperty("entry").GetProperty("level").GetString() == "error" => "log: " + e.Params.GetProperty("entry"),
        _ => null,
    }).OfType<string>()];

    /// <summary>Every URL the page requested.</summary>
    public IReadOnlyList<string> Requests() => [.. _devTools.Events(Session).Where(e => e.Method == "Network.requestWillBeSent")
        .Select(e => e.Params.GetProperty("request").GetProperty("url").GetString() ?? "")];

    public void Dispose()
    {
        try
        {
            _devTools.Call("Target.closeTarget", new { targetId = _target }, timeout: TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // The browser is gone already; the fixture kills what is left.
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"page {_target}");
}
