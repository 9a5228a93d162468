using System.CommandLine;
using SyncModel.Implementation.Guest;
using SyncModel.Protocol.Config;

namespace SyncModel.Cli;

/// <summary>The options that describe a synthetic guest and its migration (save, roundtrip), and what they build.</summary>
public sealed class GuestOptions
{
    private readonly Option<string> _ram;
    private readonly Option<string?> _blocks = CommonOptions.Blocks();
    private readonly Option<int> _channels = CommonOptions.Channels();
    private readonly Option<string> _flush = CommonOptions.Flush();
    private readonly Option<int> _rounds;
    private readonly Option<double> _dirty = CommonOptions.DirtyRate();
    private readonly Option<double> _zero = CommonOptions.ZeroPages();
    private readonly Option<int> _seed = CommonOptions.Seed();

    public GuestOptions(string ram, int rounds)
    {
        _ram = CommonOptions.Ram(ram);
        _rounds = CommonOptions.Rounds(rounds);
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _ram, _blocks, _channels, _flush, _rounds, _dirty, _zero, _seed }) command.Options.Add(o);
    }

    public MigrationConfig Config(ParseResult r) => new MigrationConfig
    {
        Channels = r.GetValue(_channels),
        Blocks = CommonOptions.ParseBlocks(r.GetValue(_ram)!, r.GetValue(_blocks)),
        LiveRounds = r.GetValue(_rounds),
        FlushAfterEachSection = FlushSetting.Parse(r.GetValue(_flush)!),
    }.Validate();

    public Workload Workload(ParseResult r, MigrationConfig config)
        => Implementation.Guest.Workload.Synthetic(config, config.LiveRounds, r.GetValue(_dirty), r.GetValue(_zero), r.GetValue(_seed));

    public int Seed(ParseResult r) => r.GetValue(_seed);
}
