using System.CommandLine;
using SyncModel.Implementation.Format;
using SyncModel.Implementation.IO;

namespace SyncModel.Cli.Commands;

/// <summary><c>syncmodel extract</c>: one block's RAM as a raw image (bit-0 pages as zeros).</summary>
public static class ExtractCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("FILE") { Description = "a mapped-ram migration file" };
        var block = new Option<string>("--block", "-b") { Description = "the block's idstr, e.g. pc.ram", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "the raw image to write", Required = true };
        var cmd = new Command("extract", "write one RAM block of a mapped-ram file as a raw image") { input, block, output };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var outPath = r.GetValue(output)!;
            using var file = MigrationFiles.OpenRead(r.GetValue(input)!);
            var layout = MappedRamInspector.Inspect(file);
            var name = r.GetValue(block)!;
            var entry = layout.Blocks.FirstOrDefault(b => b.Name == name)
                ?? throw new ArgumentException($"no block '{name}' in the file; it has: {string.Join(", ", layout.Blocks.Select(b => b.Name))}");
            using (var raw = File.Create(outPath)) MappedRamInspector.ExtractBlock(file, entry.ToBlock(), raw);
            Console.WriteLine($"wrote {entry.UsedLength} bytes of '{name}' ({entry.PagesPresent} of {entry.PageCount} pages present) to {outPath}");
            return CliRun.Ok;
        }));
        return cmd;
    }
}
