using System.CommandLine;
using Spectre.Console;
using SyncModel.Protocol.Vocabulary;

namespace SyncModel.Cli.Commands;

/// <summary><c>syncmodel properties</c>: every property the checkers, the model and the reports name, with its statement
/// and sources (<see cref="PropertyCatalog"/>), and the verdicts a check can end in.</summary>
public static class PropertiesCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var cmd = new Command("properties", "list the properties SyncModel checks and the verdicts it gives") { json };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            if (r.GetValue(json))
            {
                Json.Print(new
                {
                    properties = PropertyCatalog.All.Select(p => new { id = p.Id.ToString(), statement = p.Statement, broken = p.Broken, sources = p.Sources }),
                    verdicts = Enum.GetValues<VerdictKind>().Select(v => new { id = v.Id(), meaning = v.Meaning() }),
                });
                return CliRun.Ok;
            }
            var t = new Table().Border(TableBorder.Simple).AddColumns(new TableColumn("property").NoWrap(), new TableColumn("statement"), new TableColumn("sources"));
            foreach (var p in PropertyCatalog.All) t.AddRow(p.Id.ToString(), Markup.Escape(p.Statement), Markup.Escape(p.Sources));
            AnsiConsole.Write(t);
            Console.WriteLine("verdicts:");
            foreach (var v in Enum.GetValues<VerdictKind>()) Console.WriteLine($"  {v.Meaning()}");
            return CliRun.Ok;
        }));
        return cmd;
    }
}
