using SyncModel.Cli;

if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;

return CliRun.Invoke(SyncModelCommand.Create(), args);
