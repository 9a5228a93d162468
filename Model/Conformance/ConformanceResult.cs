using SyncModel.Protocol.Events;

namespace SyncModel.Model.Conformance;

/// <summary>What the trace validator concluded.</summary>
public enum ConformanceVerdict
{
    /// <summary>Every event of the trace was taken by some run of the model.</summary>
    Accepted,
    /// <summary>The model cannot take the event at <see cref="ConformanceResult.RejectedIndex"/>.</summary>
    Rejected,
    /// <summary>The configuration is outside what the model can represent; nothing was checked.</summary>
    NotRepresentable,
}

/// <summary>The outcome of a <see cref="TraceValidator"/> check.</summary>
public sealed record ConformanceResult
{
    public required ConformanceVerdict Verdict { get; init; }

    public bool Accepted => Verdict == ConformanceVerdict.Accepted;

    /// <summary>Events the model took: the whole trace when accepted, the ones before the rejected event otherwise.</summary>
    public int Events { get; init; }

    /// <summary>The 0-based index of the first event the model cannot take; -1 unless rejected.</summary>
    public int RejectedIndex { get; init; } = -1;

    /// <summary>That event.</summary>
    public TraceEvent? RejectedEvent { get; init; }

    /// <summary>Why: for a rejection, what the model's state says about the event and what it expected instead; for a
    /// configuration the model cannot represent, which limit it exceeds.</summary>
    public string Reason { get; init; } = "";

    /// <summary>For a rejection: the events the model could have taken from that thread instead (may be empty).</summary>
    public IReadOnlyList<string> Expected { get; init; } = [];

    /// <summary>Accepted, and some run of the model is at its end (the load finished, or the save failed, or a save-only
    /// run closed its file) with no event of a step still owed. A trace cut short (Coyote stops an iteration at its bug)
    /// is accepted but not finished.</summary>
    public bool Finished { get; init; }

    /// <summary>For an accepted trace that is not finished: what the model expects next.</summary>
    public string? Outstanding { get; init; }

    /// <summary>The most model runs the trace was consistent with at once (the ambiguity the abstraction leaves: page
    /// contents, and which step a thread is in the middle of).</summary>
    public int PeakCandidates { get; init; }

    /// <summary>The model configuration the trace was checked against (null when not representable).</summary>
    public ModelCheckOptions? Options { get; init; }

    public override string ToString() => Verdict switch
    {
        ConformanceVerdict.Accepted => $"accepted: all {Events} events" + (Finished ? ", run finished" : $"; not finished: {Outstanding}"),
        ConformanceVerdict.Rejected => $"rejected at event {RejectedIndex}: {Reason}",
        _ => $"not representable: {Reason}",
    };
}
