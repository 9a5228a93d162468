using System.CommandLine;
using Spectre.Console;
using SyncModel.Implementation.Format;
using SyncModel.Implementation.IO;

namespace SyncModel.Cli.Commands;

/// <summary><c>syncmodel inspect</c>: the block table of a mapped-ram file.</summary>
public static class InspectCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("FILE") { Description = "a mapped-ram migration file (QEMU's or ours)" };
        var json = CommonOptions.Json();
        var cmd = new Command("inspect", "print the RAM block table of a mapped-ram file") { input, json };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var path = r.GetValue(input)!;
            MappedRamLayout layout;
            using (var file = MigrationFiles.OpenRead(path)) layout = MappedRamInspector.Inspect(file);
            if (r.GetValue(json))
            {
                Json.Print(new
                {
                    machineType = layout.MachineType,
                    capabilities = layout.Capabilities,
                    ramSectionOffset = layout.RamSectionOffset,
                    memSize = layout.MemSize,
                    blocks = layout.Blocks.Select(b => new { name = b.Name, usedLength = b.UsedLength, pageSize = b.PageSize, bitmapOffset = b.BitmapOffset, pagesOffset = b.PagesOffset, pagesPresent = b.PagesPresent, pages = b.PageCount }),
                    streamResumeOffset = layout.StreamResumeOffset,
                });
                return CliRun.Ok;
            }
            Console.WriteLine($"{path}: machine {layout.MachineType}, capabilities [{string.Join(", ", layout.Capabilities)}]");
            Console.WriteLine($"ram SECTION_START at 0x{layout.RamSectionOffset:x}, MEM_SIZE total 0x{layout.MemSize:x}");
            var table = new Table().Border(TableBorder.Simple).AddColumns("block", "used", "page", "bitmap@", "pages@", "pages present");
            foreach (var b in layout.Blocks)
                table.AddRow(Markup.Escape(b.Name), $"0x{b.UsedLength:x}", b.PageSize.ToString(), $"0x{b.BitmapOffset:x}", $"0x{b.PagesOffset:x}", $"{b.PagesPresent} of {b.PageCount}");
            AnsiConsole.Write(table);
            Console.WriteLine($"the stream resumes at 0x{layout.StreamResumeOffset:x}");
            return CliRun.Ok;
        }));
        return cmd;
    }
}
