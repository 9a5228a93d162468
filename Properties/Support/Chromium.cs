using System.Diagnostics;

namespace SyncModel.Properties.Support;

/// <summary>
/// A headless Chromium started for a test run, with a user-data folder of its own and the DevTools protocol on a port it
/// picks (read back from <c>DevToolsActivePort</c>). <see cref="Dispose"/> kills it and every process it started and
/// deletes the folder. <c>.ci/run</c> installs Debian's <c>chromium</c> when none is on PATH.
/// </summary>
public sealed class Chromium : IDisposable
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
    private readonly Process _process;
    private readonly string _profile;
    private readonly Queue<string> _stderr = new();

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser's DevTools endpoint (ws://127.0.0.1:PORT/devtools/browser/ID).</summary>
    public Uri Endpoint { get; private set; } = new("ws://127.0.0.1/");

    /// <summary>The first of chromium, chromium-browser, google-chrome, google-chrome-stable on PATH; null if none is.</summary>
    public static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in Names)
        {
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var file = Path.Combine(dir, name);
                if (File.Exists(file)) return file;
            }
        }
        return null;
    }

    /// <summary>What a test says when <see cref="Find"/> finds nothing.</summary>
    public static string MissingMessage =>
        $"no Chromium on PATH (looked for {string.Join(", ", Names)}): the HTML viewer tests drive a real browser. "
        + "Install it, e.g. `apt-get install -y --no-install-recommends chromium` on Debian/Ubuntu (.ci/run does this), and run the tests again.";

    /// <summary>Starts <paramref name="executable"/> headless and waits (at most <paramref name="timeout"/>) until its DevTools port is open.</summary>
    public static Chromium Launch(string executable, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("syncmodel-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps", "--no-first-run", "--no-default-browser-check",
            "--mute-audio", "--remote-debugging-port=0", "--remote-allow-origins=*", $"--user-data-dir={profile}", "about:blank"])
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var browser = new Chromium(process, profile);
        process.OutputDataReceived += (_, e) => browser.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => browser.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            browser.Endpoint = browser.WaitForPort(timeout);
            return browser;
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }

    /// <summary>The last lines Chromium printed, for failure messages.</summary>
    public string Output()
    {
        lock (_stderr) return string.Join("\n", _stderr);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_stderr)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > 40) _stderr.Dequeue();
        }
    }

    private Uri WaitForPort(TimeSpan timeout)
    {
        var file = Path.Combine(_profile, "DevToolsActivePort");
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Chromium exited with {_process.ExitCode} before opening its DevTools port:\n{Output()}");
            if (File.Exists(file))
            {
                var lines = File.ReadAllLines(file);
                if (lines.Length >= 2 && int.TryParse(lines[0], out var port) && port > 0) return new Uri($"ws://127.0.0.1:{port}{lines[1]}");
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException($"Chromium did not open its DevTools port within {timeout}:\n{Output()}");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        _process.Dispose();
        for (var attempt = 0; attempt < 5 && Directory.Exists(_profile); attempt++)
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                Thread.Sleep(200); // a child still writing its last file
            }
        }
    }
}
