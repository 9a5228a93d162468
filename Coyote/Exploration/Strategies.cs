using Microsoft.Coyote;

namespace SyncModel.Coyote.Exploration;

/// <summary>The Coyote 1.7.11 strategies by the names the command line uses.</summary>
public static class Strategies
{
    public static readonly IReadOnlyList<string> Names = ["portfolio", "random", "pct", "fair-pct", "delay-bounding", "q-learning"];

    /// <summary>Applies <paramref name="name"/> to <paramref name="c"/>; PCT uses 2 priority switches, delay-bounding 10 delays.</summary>
    public static Configuration Apply(Configuration c, string name) => name switch
    {
        "portfolio" => c, // the engine's default: a tuned portfolio of strategies
        "random" => c.WithRandomStrategy(),
        "pct" => c.WithPrioritizationStrategy(false, 2),
        "fair-pct" => c.WithPrioritizationStrategy(true, 2),
        "delay-bounding" => c.WithDelayBoundingStrategy(false, 10),
        "q-learning" => c.WithQLearningStrategy(),
        _ => throw new ArgumentException($"unknown strategy '{name}'; expected one of: {string.Join(", ", Names)}"),
    };
}
