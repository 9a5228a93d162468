using Microsoft.Coyote.Rewriting;
using SyncModel.Coyote.Scenarios;
using SyncModel.Implementation.Save;

namespace SyncModel.Coyote.Exploration;

/// <summary>
/// Coyote controls only IL-rewritten code: an unrewritten assembly runs under the testing engine unseen, and exploration
/// then reports "no violation" without having explored anything. The verbs that explore check first.
/// </summary>
public static class RewriteCheck
{
    /// <summary>The assemblies exploration controls: the production code and the harness that drives it.</summary>
    public static IReadOnlyList<System.Reflection.Assembly> Explored { get; } = [typeof(Saver).Assembly, typeof(ScenarioRun).Assembly];

    /// <summary>The explored assemblies that are not rewritten (empty when all are).</summary>
    public static IReadOnlyList<string> NotRewritten()
        => [.. Explored.Where(a => !RewritingEngine.IsAssemblyRewritten(a)).Select(a => a.GetName().Name ?? a.FullName ?? "?")];

    /// <summary>Throws <see cref="NotSupportedException"/> (exit 2) naming every explored assembly that is not rewritten.</summary>
    public static void ThrowIfNotRewritten()
    {
        var missing = NotRewritten();
        if (missing.Count == 0) return;
        throw new NotSupportedException(
            $"{string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not rewritten for Coyote ({Path.GetDirectoryName(Explored[0].Location)}): "
            + "exploration would control nothing and find nothing. Build with the repository's build (dotnet build, dotnet pack or dotnet publish run the "
            + "rewriter), or install the syncmodel tool package.");
    }
}
