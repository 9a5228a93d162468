namespace SyncModel.Implementation.Format;

/// <summary>The generic savevm framing: file header, configuration, section headers and footers, commands.</summary>
public sealed partial class MigrationStreamReader
{
    public const string CapabilitiesSubsection = "configuration/capabilities";
    public const string TargetPageBitsSubsection = "configuration/target-page-bits";
    public const string UuidSubsection = "configuration/uuid";

    /// <summary>Plausibility limit on the machine type name; QEMU's are a few dozen bytes.</summary>
    public const int MaxMachineTypeLength = 255;

    /// <summary>Plausibility limit on the capability list; QEMU 10.0 has about 25 capabilities.</summary>
    public const int MaxCapabilities = 64;

    /// <summary>TARGET_PAGE_BITS range: 1 KiB pages (the smallest that leave room for MULTIFD_FLUSH, 0x200) to 64 KiB.</summary>
    public const int MinTargetPageBits = 10;
    public const int MaxTargetPageBits = 16;

    private const int KnownSubsections = 3;

    /// <summary>Reads and checks <c>be32 "QEVM"</c> and <c>be32 version 3</c> at the current position.</summary>
    public void ReadFileHeader()
    {
        var at = _position;
        var magic = ReadBe32("file magic");
        if (magic != QemuFormat.FileMagic)
            throw new MigrationFormatException(at, $"bad magic 0x{magic:x8}, expected 0x{QemuFormat.FileMagic:x8} (\"QEVM\")");
        var version = ReadBe32("file version");
        if (version == 2)
            throw new MigrationFormatException(at + 4, "unknown stream version 2: the obsolete savevm v2 format is not supported");
        if (version != QemuFormat.FileVersion)
            throw new MigrationFormatException(at + 4, $"unknown stream version {version}, expected {QemuFormat.FileVersion}");
    }

    /// <summary>
    /// Reads the QEMU_VM_CONFIGURATION section (no footer follows it): <c>u8 0x07, be32 len, name</c>, then
    /// any of the three known subsections, each at most once. Sets <see cref="TargetPageBits"/> when present.
    /// </summary>
    public MigrationConfiguration ReadConfiguration()
    {
        var at = _position;
        var type = ReadU8("configuration type");
        if (type != QemuFormat.Configuration)
            throw new MigrationFormatException(at, $"expected QEMU_VM_CONFIGURATION (0x07), found section type 0x{type:x2}");
        var config = new MigrationConfiguration(ReadMachineType(), [], null, null);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i <= KnownSubsections && PeekU8("section type") == QemuFormat.Subsection; i++)
            config = ReadConfigurationSubsection(config, seen);
        return config;
    }

    /// <summary>
    /// Reads the next top-level item. Section headers leave the reader at the section payload; a command's
    /// data is skipped; EOF is the 0x00 byte. Other type bytes are errors.
    /// </summary>
    public TopLevelItem ReadTopLevel()
    {
        var at = _position;
        var type = ReadU8("section type");
        return type switch
        {
            QemuFormat.VmEof => new VmEof(at),
            QemuFormat.SectionStart or QemuFormat.SectionFull => ReadStartOrFull(at, (SectionType)type),
            QemuFormat.SectionPart or QemuFormat.SectionEnd => new SectionHeader(at, (SectionType)type, ReadBe32("section id"), null, 0, 0),
            QemuFormat.Command => ReadCommand(at),
            _ => throw new MigrationFormatException(at, UnexpectedTopLevel(type)),
        };
    }

    /// <summary>Reads the footer <c>u8 0x7e, be32 section_id</c> and checks it closes <paramref name="sectionId"/>.</summary>
    public void ReadSectionFooter(uint sectionId)
    {
        var at = _position;
        var marker = ReadU8("section footer");
        if (marker != QemuFormat.SectionFooter)
            throw new MigrationFormatException(at, $"missing section footer for section {sectionId}: found 0x{marker:x2} instead of 0x7e");
        var id = ReadBe32("section footer id");
        if (id != sectionId)
            throw new MigrationFormatException(at + 1, $"section footer names section {id}, expected section {sectionId}");
    }

    private string ReadMachineType()
    {
        var at = _position;
        var length = ReadBe32("machine type length");
        if (length > MaxMachineTypeLength)
            throw new MigrationFormatException(at, $"machine type length {length} is implausible (limit {MaxMachineTypeLength})");
        var nameAt = _position;
        return DecodeAscii(Take((int)length, "machine type"), nameAt, "machine type");
    }

    private MigrationConfiguration ReadConfigurationSubsection(MigrationConfiguration config, HashSet<string> seen)
    {
        var at = _position;
        ReadU8("subsection type");
        var name = ReadIdstr("subsection name");
        if (name is not (CapabilitiesSubsection or TargetPageBitsSubsection or UuidSubsection))
            throw new MigrationFormatException(at, $"unknown configuration subsection '{name}'");
        if (!seen.Add(name))
            throw new MigrationFormatException(at, $"configuration subsection '{name}' appears twice");
        var versionAt = _position;
        var version = ReadBe32("subsection version");
        if (version != 1)
            throw new MigrationFormatException(versionAt, $"configuration subsection '{name}' has unknown version {version}, expected 1");
        return name switch
        {
            CapabilitiesSubsection => config with { Capabilities = ReadCapabilities() },
            TargetPageBitsSubsection => config with { TargetPageBits = ReadTargetPageBits() },
            _ => config with { Uuid = ReadUuid() },
        };
    }

    private List<string> ReadCapabilities()
    {
        var at = _position;
        var count = ReadBe32("capability count");
        if (count > MaxCapabilities)
            throw new MigrationFormatException(at, $"capability count {count} is implausible (limit {MaxCapabilities})");
        var names = new List<string>((int)count);
        for (var i = 0; i < count; i++) names.Add(ReadIdstr("capability name"));
        return names;
    }

    private uint ReadTargetPageBits()
    {
        var at = _position;
        var bits = ReadBe32("target page bits");
        if (bits is < MinTargetPageBits or > MaxTargetPageBits)
            throw new MigrationFormatException(at, $"target page bits {bits} is outside {MinTargetPageBits}..{MaxTargetPageBits}");
        TargetPageBits = (int)bits;
        return bits;
    }

    private Guid ReadUuid() => new(Take(16, "uuid"), bigEndian: true);

    private SectionHeader ReadStartOrFull(long at, SectionType type)
    {
        var id = ReadBe32("section id");
        var idstr = ReadIdstr("section idstr");
        var instance = ReadBe32("instance id");
        var version = ReadBe32("version id");
        return new SectionHeader(at, type, id, idstr, instance, version);
    }

    private VmCommand ReadCommand(long at)
    {
        var command = ReadBe16("command number");
        var length = ReadBe16("command length");
        if (command == 0)
            throw new MigrationFormatException(at + 1, "command 0 is MIG_CMD_INVALID");
        Skip(length, $"data of command {command}");
        return new VmCommand(at, command, length);
    }

    private static string UnexpectedTopLevel(byte type) => type switch
    {
        QemuFormat.Subsection => "subsection (0x05) outside any section",
        QemuFormat.VmDescription => "vmdescription (0x06) before QEMU_VM_EOF",
        QemuFormat.Configuration => "configuration (0x07) is only valid right after the file header",
        _ => $"unknown section type 0x{type:x2}",
    };
}
