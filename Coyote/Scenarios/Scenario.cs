using SyncModel.Implementation.Guest;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Coyote.Scenarios;

/// <summary>
/// One exploration target: a policy and F, a small configuration (few pages, small batches and chunks, so
/// that an iteration is short and there are many of them), a workload, and which side's IO may fail.
/// </summary>
public sealed record Scenario(SyncPolicy Policy, MigrationConfig Config, ScenarioKind Kind, ErrorSides Errors, Workload Workload)
{
    /// <summary>
    /// The default small scenario: blocks of 8 and 4 pages of 4 KiB, batches of 2 pages, recv chunks of 2
    /// pages, one live round in which the guest rewrites three pages (one becomes zero, one stops being zero).
    /// </summary>
    public static Scenario Small(SyncPolicy policy, FlushSetting flush, int channels = 2, ScenarioKind kind = ScenarioKind.SaveThenLoad,
        ErrorSides errors = ErrorSides.None, Mutation mutations = Mutation.None, int liveRounds = 1)
    {
        var config = new MigrationConfig
        {
            Channels = channels,
            Blocks = [new("pc.ram", 8 * 4096), new("vga.vram", 4 * 4096)],
            LiveRounds = liveRounds,
            FlushAfterEachSection = flush,
            PagesPerBatch = 2,
            LoadChunkBytes = 2 * 4096,
            Mutations = mutations,
        }.Validate();
        return new Scenario(policy, config, kind, errors, DefaultWorkload(liveRounds));
    }

    /// <summary>Every page starts with data except pages 2 and 5 of pc.ram; each round rewrites three pages.</summary>
    public static Workload DefaultWorkload(int rounds)
    {
        var initial = new List<PageWrite>();
        for (var p = 0; p < 8; p++)
        {
            if (p is not (2 or 5)) initial.Add(new PageWrite(0, p, PageFill.Data((uint)p + 1)));
        }
        for (var p = 0; p < 4; p++) initial.Add(new PageWrite(1, p, PageFill.Data(100u + (uint)p)));
        var perRound = Enumerable.Range(0, rounds).Select(r => (IReadOnlyList<PageWrite>)
        [
            new PageWrite(0, 1, PageFill.Zeros),
            new PageWrite(0, 2, PageFill.Data(200u + (uint)r)),
            new PageWrite(1, 3, PageFill.Data(300u + (uint)r)),
        ]).ToArray();
        return new Workload(initial, perRound);
    }

    public FlushSetting Flush => Config.FlushAfterEachSection;

    /// <summary>
    /// A socket migration's connection buffer in bytes (<see cref="Implementation.Socket.SocketOptions.BufferBytes"/>); 0 = one
    /// full packet with its pages. <see cref="Implementation.Socket.SocketOptions.HeaderBytes"/> keeps a connection to at most two
    /// packets in flight, the model's connection (the conformance tests run with it).
    /// </summary>
    public int SocketBufferBytes { get; init; }

    /// <summary>Whether <paramref name="s"/> has <see cref="Small"/>'s blocks, batches, chunks and workload (an explore command line rebuilds it).</summary>
    public static bool IsDefaultShape(Scenario s)
    {
        var small = Small(s.Policy, s.Flush, s.Config.Channels, s.Kind, s.Errors, s.Config.Mutations, s.Config.LiveRounds);
        return small.Config == s.Config with { Blocks = small.Config.Blocks } && small.Config.Blocks.SequenceEqual(s.Config.Blocks)
            && small.Workload.ToString() == s.Workload.ToString();
    }

    /// <summary>Throws <see cref="ArgumentException"/> for a scenario no iteration can run: a socket policy only runs save-then-load; main-stream errors need sockets; creation errors need a save.</summary>
    public Scenario Validate()
    {
        if (Policy.Transport == Transport.Socket && Kind != ScenarioKind.SaveThenLoad)
            throw new ArgumentException($"{Policy.Name} migrates over sockets: the destination loads while the source saves, so only the {ScenarioKind.SaveThenLoad} scenario runs it, not {Kind}");
        if (Errors.HasFlag(ErrorSides.Main) && Policy.Transport != Transport.Socket)
            throw new ArgumentException($"errors 'main' break the destination's main connection, which only a socket migration has; {Policy.Name} loads from a file");
        if (Errors.HasFlag(ErrorSides.Connect) && Kind == ScenarioKind.Load)
            throw new ArgumentException("errors 'connect' fail a send channel's creation, which a load-only scenario does not run");
        return this;
    }

    /// <summary>"fixed-ram-v4 F=on 2ch save-then-load errors=dst".</summary>
    public override string ToString()
        => $"{Policy.Name} F={Flush} {Config.Channels}ch {Kind}{(Errors == ErrorSides.None ? "" : $" errors={ErrorSidesText.Format(Errors)}")}{(Config.Mutations == Mutation.None ? "" : $" mutations={Config.Mutations}")}";
}
