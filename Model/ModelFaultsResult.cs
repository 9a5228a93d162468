namespace SyncModel.Model;

/// <summary>One mutation switch injected as a CsCheck fault: which requirement caught it, and after how many steps.</summary>
/// <param name="Fault">The <see cref="Protocol.Config.Mutation"/> name.</param>
/// <param name="Outcome">"caught", "not detected" (proved harmless in this configuration) or "inconclusive" (the search did not close).</param>
/// <param name="CaughtBy">The requirement whose counterexample was shortest, or null.</param>
/// <param name="Steps">The counterexample's length, 0 when not caught.</param>
public sealed record FaultRow(string Fault, string Outcome, string? CaughtBy, int Steps);

/// <summary>The result of <see cref="ModelChecker.Faults"/>: CsCheck's <c>Check.Faults</c> over the model's mutation switches.</summary>
public sealed record ModelFaultsResult
{
    public required ModelCheckOptions Options { get; init; }
    public required IReadOnlyList<FaultRow> Rows { get; init; }

    /// <summary>Requirements no fault exercised.</summary>
    public required IReadOnlyList<string> Unexercised { get; init; }

    /// <summary>CsCheck's fault table as text.</summary>
    public required string Text { get; init; }

    public TimeSpan Elapsed { get; init; }
}
