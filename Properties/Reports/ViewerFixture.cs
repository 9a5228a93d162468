using SyncModel.Model;
using SyncModel.Properties.Model;
using SyncModel.Properties.Support;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Reports;

namespace SyncModel.Properties.Reports;

/// <summary>
/// What the HTML viewer tests share: one headless Chromium, and real reports written by <see cref="ReportWriter"/> from
/// the model's counterexamples: fixed-ram-v4 with F=on (DrainBeforeCleanup, broken at its last step) and
/// peterxu-oneshot (NoDeadlock, broken at the end of the run). A missing browser is reported by the tests, not here.
/// </summary>
public sealed class ViewerFixture : IDisposable
{
    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(60);
    private readonly Chromium? _browser;
    private readonly DevTools? _devTools;
    private readonly string? _problem;
    private readonly string _folder = Directory.CreateTempSubdirectory("syncmodel-viewer-").FullName;

    public ViewerFixture()
    {
        Drain = ModelReports.ToReport(ModelChecker.Check(ModelConfigs.Small(FixedRamV4.Instance, f: true)))!;
        Deadlock = ModelReports.ToReport(ModelChecker.Check(ModelConfigs.Small(PeterXuOneShot.Instance)))!;
        DrainPage = ReportWriter.Write(_folder, Drain).HtmlPath;
        DeadlockPage = ReportWriter.Write(_folder, Deadlock).HtmlPath;
        var executable = Chromium.Find();
        if (executable is null)
        {
            _problem = Chromium.MissingMessage;
            return;
        }
        try
        {
            _browser = Chromium.Launch(executable, LaunchTimeout);
            _devTools = DevTools.Connect(_browser.Endpoint);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.Net.WebSockets.WebSocketException)
        {
            _problem = $"could not start {executable} headless: {e.Message}";
        }
    }

    /// <summary>DrainBeforeCleanup, violated at the last step.</summary>
    public Report Drain { get; }

    public string DrainPage { get; }

    /// <summary>NoDeadlock, violated at the end of the run (no violating step).</summary>
    public Report Deadlock { get; }

    public string DeadlockPage { get; }

    /// <summary>A file beside the reports, for pages a test renders itself.</summary>
    public string File(string name) => Path.Combine(_folder, name);

    /// <summary>A new tab; fails the test, saying how to install Chromium, if there is none.</summary>
    public BrowserPage Open(int width = 1280, int height = 900)
    {
        if (_problem is not null || _devTools is null) Assert.Fail(_problem ?? "no browser");
        return BrowserPage.Open(_devTools, width, height);
    }

    public static string FileUrl(string path) => new Uri(path).AbsoluteUri;

    public void Dispose()
    {
        _devTools?.Dispose();
        _browser?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
