using System.Globalization;
using System.Text.Json;
using SyncModel.Model.Checking.Engine;

namespace SyncModel.Cli.Commands;

/// <summary>
/// What <c>syncmodel check</c> shows while its engine runs: on a terminal one status line, rewritten about once a second
/// (states, states/s, frontier, depth, the visited set's memory, and an ETA once the frontier shrinks); with
/// <c>--json</c> one progress event per line on stderr, so stdout keeps its single document; otherwise nothing.
/// </summary>
internal sealed class CheckProgress(TextWriter error, bool json, bool terminal)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private SearchProgress? _last;
    private int _width;

    /// <summary>The callback to hand the engine, or null when nothing is shown.</summary>
    public Action<SearchProgress>? Callback => json || terminal ? Report : null;

    private void Report(SearchProgress p)
    {
        var rate = p.States / Math.Max(p.Elapsed.TotalSeconds, 1e-3);
        var eta = Eta(p);
        _last = p;
        if (json)
        {
            error.WriteLine(JsonSerializer.Serialize(new
            {
                @event = "progress",
                states = p.States,
                statesPerSecond = Math.Round(rate),
                transitions = p.Transitions,
                frontier = p.Frontier,
                depth = p.Depth,
                memoryBytes = p.Bytes,
                elapsedSeconds = Math.Round(p.Elapsed.TotalSeconds, 1),
                etaSeconds = eta is { } e ? Math.Round(e.TotalSeconds) : (double?)null,
            }));
            return;
        }
        var line = $"states {p.States.ToString("N0", Inv)}  {rate.ToString("N0", Inv)}/s  frontier {p.Frontier.ToString("N0", Inv)}  "
            + $"depth {p.Depth}  mem {(p.Bytes / (1024.0 * 1024 * 1024)).ToString("F2", Inv)} GiB  {p.Elapsed.TotalSeconds.ToString("F0", Inv)} s"
            + (eta is { } t ? $"  ETA {Format(t)}" : "");
        _width = Math.Max(_width, line.Length);
        error.Write("\r" + line.PadRight(_width));
        error.Flush();
    }

    /// <summary>Ends the status line so the verdict starts on its own line.</summary>
    public void Done()
    {
        if (terminal && !json && _width > 0) error.WriteLine();
    }

    /// <summary>When the frontier shrinks between two reports, the time to empty it at that pace.</summary>
    private TimeSpan? Eta(SearchProgress p)
    {
        if (_last is not { } last || p.Frontier >= last.Frontier) return null;
        var seconds = (p.Elapsed - last.Elapsed).TotalSeconds;
        if (seconds <= 0) return null;
        var pace = (last.Frontier - p.Frontier) / seconds;
        return TimeSpan.FromSeconds(p.Frontier / pace);
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{t.TotalHours.ToString("F1", Inv)} h" : t.TotalMinutes >= 1 ? $"{t.TotalMinutes.ToString("F0", Inv)} min" : $"{t.TotalSeconds.ToString("F0", Inv)} s";
}
