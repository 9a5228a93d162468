namespace SyncModel.Protocol.Vocabulary;

/// <summary>
/// What a check concluded. The model and Coyote never share a word for "nothing found": the model's closed state space is
/// a proof (<see cref="Proved"/>); Coyote's budget is a bounded search (<see cref="NoViolation"/>).
/// </summary>
public enum VerdictKind
{
    /// <summary>The model explored every reachable state of the configuration and no property broke.</summary>
    Proved,

    /// <summary>Coyote ran its budget (iterations, strategy, seed) and no property broke: evidence, not a proof.</summary>
    NoViolation,

    /// <summary>A property broke; a report holds the counterexample.</summary>
    Violated,

    /// <summary>The search stopped (a limit, Ctrl+C) before it could say either.</summary>
    Incomplete,

    /// <summary>The model does not cover this configuration; no verdict.</summary>
    NotModelled,
}

/// <summary>The stable ids (JSON, command lines) and the words (tables, reports) of each <see cref="VerdictKind"/>.</summary>
public static class Verdicts
{
    /// <summary>"proved", "no-violation", "violated", "incomplete", "not-modelled".</summary>
    public static string Id(this VerdictKind kind) => kind switch
    {
        VerdictKind.Proved => "proved",
        VerdictKind.NoViolation => "no-violation",
        VerdictKind.Violated => "violated",
        VerdictKind.Incomplete => "incomplete",
        VerdictKind.NotModelled => "not-modelled",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The kind an <see cref="Id"/> names.</summary>
    public static VerdictKind Parse(string id) => Enum.GetValues<VerdictKind>().FirstOrDefault(k => k.Id() == id, (VerdictKind)(-1)) is var k && Enum.IsDefined(k)
        ? k
        : throw new FormatException($"verdict '{id}': expected one of {string.Join(", ", Enum.GetValues<VerdictKind>().Select(v => v.Id()))}");

    /// <summary>What the verdict means, in a sentence a report or a help text can quote.</summary>
    public static string Meaning(this VerdictKind kind) => kind switch
    {
        VerdictKind.Proved => "proved: the model's state space closed with every property holding in every reachable state",
        VerdictKind.NoViolation => "no violation: Coyote explored its budget of schedules of the production code without breaking a property (a bounded search, not a proof)",
        VerdictKind.Violated => "violated: a property broke; the report shows the counterexample",
        VerdictKind.Incomplete => "incomplete: the search stopped before it could say either; nothing is claimed",
        _ => "not modelled: the model does not cover this configuration; no verdict",
    };
}
