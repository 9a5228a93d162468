using System.Text.Json;
using SyncModel.Properties.Support;
using SyncModel.Protocol.Reports;

namespace SyncModel.Properties.Reports;

/// <summary>
/// The HTML report viewer (<see cref="ReportHtml"/>) in a real browser: a headless Chromium driven over the DevTools
/// protocol opens pages <see cref="ReportWriter"/> wrote, presses the viewer's keys and reads the DOM: the current step, the
/// state panel against the state the report's changes add up to, the slice, the narrow, print and script-less layouts,
/// and a screenshot. Every page must load nothing from anywhere and log no error. Fails (does not skip) without Chromium.
/// </summary>
public sealed class HtmlViewerTests(ViewerFixture fixture) : IClassFixture<ViewerFixture>
{
    [Fact]
    public void Keys_step_through_the_trace_and_v_lands_on_the_violation_with_its_state()
    {
        var report = fixture.Drain;
        using var page = fixture.Open();
        page.Navigate(ViewerFixture.FileUrl(fixture.DrainPage));

        Assert.True(page.EvaluateBool("document.documentElement.classList.contains('js')"));
        Assert.Equal(0, CurrentRow(page));
        Assert.Equal(report.Steps[0].Index.ToString(), page.EvaluateString("document.getElementById('current-step').textContent"));
        foreach (var (key, row) in new (string, int)[] { ("ArrowRight", 1), ("ArrowRight", 2), ("j", 3), ("ArrowLeft", 2), ("k", 1), ("End", report.Steps.Count - 1), ("Home", 0) })
        {
            page.Press(key);
            Assert.True(CurrentRow(page) == row, $"after {key}: row {CurrentRow(page)}, expected {row}");
            Assert.Equal(Expected(report, row), StateCells(page));
        }

        page.Press("v");

        var violating = ViolatingRow(report);
        Assert.Equal(report.ViolationStep!.Value.ToString(), page.EvaluateString("document.getElementById('current-step').textContent"));
        Assert.Equal(violating, CurrentRow(page));
        Assert.True(page.EvaluateBool("document.querySelector('#trace tr.current').classList.contains('violation')"));
        Assert.Equal(1, page.EvaluateInt("document.querySelectorAll('#trace tr.violation').length"));
        Assert.Equal(Expected(report, violating), StateCells(page));
        var changed = page.Evaluate("[...document.querySelectorAll('#state .changed')].map(e => e.dataset.cell)").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        Assert.Equal(report.Steps[violating].Changes.Select(c => c.Cell).ToHashSet(), changed);
        Assert.Equal(report.Steps.Count(s => s.InSlice), page.EvaluateInt("document.querySelectorAll('#trace tr.step.in-slice').length"));
        Assert.Equal("rgb(255, 244, 194)", page.EvaluateString("getComputedStyle(document.querySelector('#trace tr.in-slice:not(.violation):not(.current) td.ev')).backgroundColor"));
        Assert.Equal("rgba(0, 0, 0, 0)", page.EvaluateString("getComputedStyle(document.querySelector('#trace tr.step:not(.in-slice):not(.current) td.ev')).backgroundColor"));
        Assert.Equal($"#step-{report.ViolationStep}", page.EvaluateString("location.hash"));
        AssertQuiet(page);
    }

    [Fact]
    public void S_shows_only_the_slice_with_the_runs_between_as_rows_that_expand()
    {
        var report = fixture.Drain;
        var runs = ReportTrace.Collapsed(report.Steps);
        using var page = fixture.Open();
        page.Navigate(ViewerFixture.FileUrl(fixture.DrainPage));
        Assert.Equal(report.Steps.Count, VisibleSteps(page));

        page.Press("s");

        Assert.Equal(report.Steps.Count(s => s.InSlice), VisibleSteps(page));
        Assert.Equal(runs.Count, page.EvaluateInt("[...document.querySelectorAll('#trace tr.run')].filter(r => !r.hidden).length"));
        Assert.Equal("true", page.EvaluateString("document.querySelector('[data-action=slice]').getAttribute('aria-pressed')"));
        Assert.True(page.EvaluateBool("!document.querySelector('#trace tr.current').hidden"), "the current row stays visible");
        page.Press("Home");
        page.Press("j");
        Assert.True(page.EvaluateBool("document.querySelector('#trace tr.current').classList.contains('in-slice')"), "stepping skips the hidden rows");

        page.Evaluate("document.querySelector('#trace tr.run button').click()");
        var first = runs[0];
        Assert.Equal(report.Steps.Count(s => s.InSlice) + report.Steps.Count(s => !s.InSlice && s.Index >= first.From && s.Index <= first.To), VisibleSteps(page));
        Assert.Equal("true", page.EvaluateString("document.querySelector('#trace tr.run button').getAttribute('aria-expanded')"));

        page.Press("s");
        Assert.Equal(report.Steps.Count, VisibleSteps(page));
        Assert.Equal(0, page.EvaluateInt("[...document.querySelectorAll('#trace tr.run')].filter(r => !r.hidden).length"));
        AssertQuiet(page);
    }

    [Fact]
    public void A_violation_at_the_end_of_the_run_is_reached_with_v_and_shown_after_the_last_step()
    {
        var report = fixture.Deadlock;
        Assert.Null(report.ViolationStep);
        using var page = fixture.Open();
        page.Navigate(ViewerFixture.FileUrl(fixture.DeadlockPage));

        page.Press("v");

        Assert.Equal(report.Steps.Count - 1, CurrentRow(page));
        Assert.Equal(Expected(report, report.Steps.Count - 1), StateCells(page));
        Assert.Contains(report.Violation, page.EvaluateString("document.getElementById('end-of-run').textContent"), StringComparison.Ordinal);
        Assert.Equal(0, page.EvaluateInt("document.querySelectorAll('#trace tr.step.violation').length"));
        AssertQuiet(page);
    }

    [Fact]
    public void A_narrow_window_needs_no_sideways_scrolling_print_shows_every_step_and_without_script_it_is_a_plain_table()
    {
        var report = fixture.Drain;
        using var page = fixture.Open(width: 390, height: 800);
        page.Navigate(ViewerFixture.FileUrl(fixture.DrainPage));
        Assert.True(page.EvaluateBool("document.documentElement.scrollWidth <= window.innerWidth"),
            $"scrollWidth {page.EvaluateInt("document.documentElement.scrollWidth")} > {page.EvaluateInt("window.innerWidth")}");
        Assert.Equal("none", page.EvaluateString("getComputedStyle(document.querySelector('#trace thead')).display"));
        page.Press("s");

        page.Call("Emulation.setEmulatedMedia", new { media = "print" });
        Assert.Equal("none", page.EvaluateString("getComputedStyle(document.getElementById('state')).display"));
        Assert.Equal("none", page.EvaluateString("getComputedStyle(document.getElementById('controls')).display"));
        Assert.Equal(report.Steps.Count, page.EvaluateInt("[...document.querySelectorAll('#trace tr.step')].filter(r => getComputedStyle(r).display !== 'none').length"));
        page.Call("Emulation.setEmulatedMedia", new { media = "" });

        page.Call("Emulation.setScriptExecutionDisabled", new { value = true });
        page.Resize(1280, 900);
        page.Navigate(ViewerFixture.FileUrl(fixture.DrainPage));
        Assert.Equal(report.Steps.Count, page.EvaluateInt("[...document.querySelectorAll('#trace tr.step')].filter(r => getComputedStyle(r).display !== 'none').length"));
        Assert.Equal(report.Steps.Count(s => s.Changes.Count > 0),
            page.EvaluateInt("[...document.querySelectorAll('#trace .chg')].filter(r => getComputedStyle(r).display !== 'none').length"));
        Assert.True(page.EvaluateBool("document.getElementById('controls').hidden"));
        AssertQuiet(page);
    }

    [Fact]
    public void The_screenshot_shows_the_violation_the_current_step_and_the_changed_cells()
    {
        using var page = fixture.Open();
        page.Navigate(ViewerFixture.FileUrl(fixture.DrainPage));
        page.Press("v");

        var png = Png.Decode(page.Screenshot());

        Assert.Equal((1280, 900), (png.Width, png.Height));
        Assert.True(png.Pixels.Distinct().Count() > 50, $"{png.Pixels.Distinct().Count()} colours: a blank page?");
        Assert.True(png.Count(0xfde8e6) > 200, "the violating step's red");
        Assert.True(png.Count(0xddf4ff) > 200, "the current row's blue");
        Assert.True(png.Count(0xdafbe1) > 200, "the changed cells' green");
        AssertQuiet(page);
    }

    [Fact]
    public void Markup_in_the_report_stays_text()
    {
        var hostile = "</script><script>window.pwned = 1</script><!-- <b>bold</b> & 'quote'";
        var report = fixture.Drain with { Title = hostile, Violation = hostile, Notes = [hostile], Workload = hostile };
        var path = fixture.File("hostile.html");
        File.WriteAllText(path, ReportHtml.Render(report));
        using var page = fixture.Open();
        page.Navigate(ViewerFixture.FileUrl(path));

        Assert.Equal(hostile, page.EvaluateString("document.title"));
        Assert.Equal(hostile, page.EvaluateString("document.getElementById('workload').textContent"));
        Assert.Equal("undefined", page.EvaluateString("typeof window.pwned"));
        Assert.Equal(hostile, page.EvaluateString("JSON.parse(document.getElementById('report-data').textContent).title"));
        page.Press("v");
        Assert.Equal(report.ViolationStep!.Value.ToString(), page.EvaluateString("document.getElementById('current-step').textContent"));
        AssertQuiet(page);
    }

    /// <summary>The last row of the violating step.</summary>
    private static int ViolatingRow(Report report)
        => report.Steps.Select((s, i) => (s.Index, i)).Last(x => x.Index <= report.ViolationStep).i;

    private static int CurrentRow(BrowserPage page) => page.EvaluateInt("Number(document.querySelector('#trace tr.current').dataset.row)");

    private static int VisibleSteps(BrowserPage page) => page.EvaluateInt("[...document.querySelectorAll('#trace tr.step')].filter(r => !r.hidden).length");

    /// <summary>The state panel's cells and values.</summary>
    private static Dictionary<string, string> StateCells(BrowserPage page)
        => page.Evaluate("[...document.querySelectorAll('#state [data-cell]')].map(e => [e.dataset.cell, e.dataset.value])")
            .EnumerateArray().ToDictionary(c => c[0].GetString()!, c => c[1].GetString()!);

    /// <summary>Every cell the changes of rows 0..<paramref name="row"/> set, with its last value.</summary>
    private static Dictionary<string, string> Expected(Report report, int row)
    {
        var cells = new Dictionary<string, string>();
        foreach (var s in report.Steps.Take(row + 1))
        {
            foreach (var c in s.Changes) cells[c.Cell] = c.Value;
        }
        return cells;
    }

    /// <summary>No exception, no console or log error, and no request but for the page's own file.</summary>
    private static void AssertQuiet(BrowserPage page)
    {
        Assert.Empty(page.Errors());
        Assert.DoesNotContain(page.Requests(), u => !u.StartsWith("file:", StringComparison.Ordinal) && !u.StartsWith("about:", StringComparison.Ordinal));
    }
}
