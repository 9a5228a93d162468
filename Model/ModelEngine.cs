namespace SyncModel.Model;

/// <summary>Which search engine <see cref="ModelChecker.Check"/> runs.</summary>
public enum ModelEngine
{
    /// <summary>The model checker's own breadth-first engine (<c>Checking/Engine</c>): packed states, exact visited set,
    /// both cores, partial-order reduction, memory limit, progress.</summary>
    Bfs,
    /// <summary>CsCheck's <c>Check.Exhaustive</c> over the same machine: the reference for small sizes.</summary>
    CsCheck,
}
