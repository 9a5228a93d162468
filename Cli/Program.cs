using System.CommandLine;
using SyncModel.Cli;
using SyncModel.Cli.Commands;

if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;

var root = new RootCommand("SyncModel: checks where QEMU's mapped-ram multifd migration synchronizes its channels")
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
};
return CliRun.Invoke(root, args);
