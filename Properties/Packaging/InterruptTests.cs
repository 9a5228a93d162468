using System.Diagnostics;
using System.Text;
using SyncModel.Properties.Support;

namespace SyncModel.Properties.Packaging;

/// <summary>
/// Ctrl+C (SIGINT) in the long verbs: the verb finishes the iteration in progress, prints what it did with an
/// "incomplete" verdict, exits 130, and leaves no half-written report behind. Runs the tool as a separate process (the
/// signal goes to it), from this test project's output, where the rewritten assemblies are.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class InterruptTests
{
    private static readonly string Tool = Path.Combine(AppContext.BaseDirectory, "syncmodel.dll");

    /// <summary>SIGINT, unless this process ignores it: a job started in the background of a non-interactive shell (or under
    /// nohup) inherits SIGINT ignored, passes that to the tool, and the runtime then leaves SIGINT alone. The tool handles
    /// SIGTERM the same way, and nothing ignores that, so the test sends SIGTERM there rather than wait for nothing.</summary>
    private static string Signal()
    {
        var ignored = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ignored is null ? 0UL : Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16);
        return (mask & (1UL << 1)) != 0 ? "-TERM" : "-INT";
    }

    public static TheoryData<string[], string> Verbs() => new()
    {
        { ["explore", "--policy", "qemu-10.0-mapped-ram", "-F", "both", "--time", "60s"], "exploring" },
        { ["zoo", "--time", "60s"], "zoo:" },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public void An_interrupted_verb_says_incomplete_exits_130_and_leaves_whole_reports(string[] verb, string started)
    {
        var reports = Directory.CreateTempSubdirectory("syncmodel-interrupt-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = reports };
            foreach (var a in (string[])[Tool, .. verb, "--reports", reports]) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            var output = new StringBuilder();
            p.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            p.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            var watch = Stopwatch.StartNew();
            while (!Text(output).Contains(started, StringComparison.Ordinal) && watch.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(50);
            Thread.Sleep(2000);

            var signal = Signal();
            Repository.Run("kill", [signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], reports, TimeSpan.FromSeconds(10));

            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)), $"still running 60 s after kill {signal}:\n{Text(output)}");
            p.WaitForExit();
            var text = Text(output);
            Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}:\n{text}");
            Assert.Contains("incomplete", text, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(reports, "*.tmp"));
            foreach (var json in Directory.GetFiles(reports, "*.json").Where(f => !Path.GetFileName(f).StartsWith("explore-results", StringComparison.Ordinal)))
            {
                Assert.True(File.Exists(Path.ChangeExtension(json, ".md")), json);
                Assert.True(File.Exists(Path.ChangeExtension(json, ".trace")), json);
            }
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
