namespace SyncModel.Properties.Generated;

/// <summary>Bounds of the generated cases: real-thread runs can afford hundreds of pages, a Coyote exploration wants a dozen.</summary>
public sealed record CaseShape(int MaxChannels, int MaxBlocks, int MaxPagesPerBlock, int MaxRounds, int MaxPatternsPerRound)
{
    /// <summary>Round trips on real threads: 1–8 channels, 1–4 blocks of up to a few hundred pages, 0–3 live rounds.</summary>
    public static readonly CaseShape RealThreads = new(MaxChannels: 8, MaxBlocks: 4, MaxPagesPerBlock: 300, MaxRounds: 3, MaxPatternsPerRound: 8);

    /// <summary>One Coyote exploration per case: few threads and pages, so that an iteration is short and there are many.</summary>
    public static readonly CaseShape Exploration = new(MaxChannels: 3, MaxBlocks: 2, MaxPagesPerBlock: 12, MaxRounds: 3, MaxPatternsPerRound: 3);
}
