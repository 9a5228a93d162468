using System.CommandLine;
using SyncModel.Cli.Commands;

namespace SyncModel.Cli;

/// <summary>The <c>syncmodel</c> command line: every verb (the examples' tests parse command lines against it too).</summary>
public static class SyncModelCommand
{
    public static RootCommand Create() => new("SyncModel: checks where QEMU's mapped-ram multifd migration synchronizes its channels")
    {
        RoundTripCommand.Create(),
        SaveCommand.Create(),
        LoadCommand.Create(),
        InspectCommand.Create(),
        ExtractCommand.Create(),
        BenchCommand.Create(),
        ExploreCommand.Create(),
        ReplayCommand.Create(),
        CheckCommand.Create(),
        ZooCommand.Create(),
        MergeCommand.Create(),
        ReportsCommand.Create(),
        PropertiesCommand.Create(),
    };
}
