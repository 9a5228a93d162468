using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.Recv;
using SyncModel.Properties.Format;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Implementation;

/// <summary>
/// The loader's own parser on broken real files, loading into RAM laid out like the original guest (a fresh load
/// inspects the file first, so only this path shows what the loader itself accepts).
/// </summary>
public sealed class LoaderBadInputTests
{
    [Theory]
    [InlineData(0x53, "00000001", "ram section instance id 1, expected 0")] // QEMU: "Unknown savevm section or instance 'ram' 1"
    [InlineData(0x57, "00000003", "ram section version 3, expected 4")]
    public void The_loader_refuses_a_ram_section_QEMU_would_not_load(long at, string hex, string problem)
    {
        using var file = QemuVectors.MultifdCopy();
        var ram = RamLike(file);
        file.Write(Convert.FromHexString(hex), at);

        var e = Assert.Throws<MigrationFormatException>(() => Loader.Load(file, new LoadOptions(Qemu100MappedRam.Instance, 4) { Destination = ram }));
        Assert.Equal(0x4a, e.Offset);
        Assert.Contains(problem, e.Message);
    }

    private static GuestRam RamLike(SyncModel.Implementation.IO.IMigrationFile file)
    {
        var layout = MappedRamInspector.Inspect(file);
        return new GuestRam(layout.Blocks.Select(b => new RamBlockSpec(b.Name, b.UsedLength)).ToArray(), (int)layout.Blocks[0].PageSize);
    }
}
