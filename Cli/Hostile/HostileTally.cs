using System.Diagnostics;

namespace SyncModel.Cli.Hostile;

/// <summary>The counts of a hostile-input run: verdicts, rejections by class and by reader, the largest allocation, the failures themselves.</summary>
public sealed class HostileTally
{
    /// <summary>Failures kept in full (the counts go on beyond them).</summary>
    public const int MaxExamples = 20;

    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public int Inputs { get; private set; }
    public int ReadFine { get; private set; }
    public int Rejected { get; private set; }
    public int Crashes { get; private set; }
    public int Hangs { get; private set; }

    /// <summary>Rejections by <see cref="RejectionClass"/>.</summary>
    public SortedDictionary<string, int> RejectedByClass { get; } = new(StringComparer.Ordinal);

    /// <summary>The first rejection of each class, in full.</summary>
    public SortedDictionary<string, string> ExampleByClass { get; } = new(StringComparer.Ordinal);

    /// <summary>Rejections by the reader that refused the input first (inspect, or the load into fresh RAM).</summary>
    public SortedDictionary<string, int> RejectedByReader { get; } = new(StringComparer.Ordinal);

    /// <summary>Inputs Inspect refused but the loader (into the original layout) read without complaint.</summary>
    public int LoaderOnlyAccepted { get; private set; }

    /// <summary>Inputs read fine that the loader into the original layout refused (e.g. a block longer than the original's).</summary>
    public int ShapedLoaderRefused { get; private set; }

    /// <summary>The most any input allocated besides the fresh RAM.</summary>
    public long MaxAllocated { get; private set; }

    public List<HostileResult> Failures { get; } = [];

    public double Seconds => _watch.Elapsed.TotalSeconds;

    public void Add(HostileResult r)
    {
        Inputs++;
        MaxAllocated = Math.Max(MaxAllocated, r.Allocated);
        switch (r.Verdict)
        {
            case HostileVerdict.ReadFine:
                ReadFine++;
                if (r.Detail.Length > 0) ShapedLoaderRefused++;
                break;
            case HostileVerdict.Rejected:
                Rejected++;
                var cls = r.Detail[..r.Detail.IndexOf(':', StringComparison.Ordinal)];
                RejectedByClass[cls] = RejectedByClass.GetValueOrDefault(cls) + 1;
                ExampleByClass.TryAdd(cls, r.ToString());
                RejectedByReader[r.Stage] = RejectedByReader.GetValueOrDefault(r.Stage) + 1;
                if (r.Detail.EndsWith("(the loader accepted it)", StringComparison.Ordinal)) LoaderOnlyAccepted++;
                break;
            case HostileVerdict.Crash:
                Crashes++;
                Keep(r);
                break;
            default:
                Hangs++;
                Keep(r);
                break;
        }
    }

    private void Keep(HostileResult r)
    {
        if (Failures.Count < MaxExamples) Failures.Add(r);
    }
}
