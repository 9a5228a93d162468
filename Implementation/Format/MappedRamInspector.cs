using SyncModel.Implementation.IO;

namespace SyncModel.Implementation.Format;

/// <summary>
/// Reads a mapped-ram migration file the way QEMU's loader walks it (docs/protocol.md §1.6) and reports its layout;
/// extracts one block's RAM image. Every malformed input ends in a <see cref="MigrationFormatException"/>.
/// </summary>
public static class MappedRamInspector
{
    /// <summary>Limit on the block list; QEMU machines have tens of RAMBlocks.</summary>
    public const int MaxBlocks = 4096;

    /// <summary>Limit on RAM record words in one ram section (mapped-ram sections hold only flags).</summary>
    public const int MaxWordsPerSection = 1024;

    /// <summary>Limit on ram PART/END sections and commands walked after the SECTION_START.</summary>
    public const int MaxTrailerItems = 1 << 16;

    public static MappedRamLayout Inspect(IMigrationFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var reader = new MigrationStreamReader(file);
        reader.ReadFileHeader();
        var config = ReadMappedRamConfiguration(reader);
        var ram = ReadRamSectionStart(reader);
        var memSize = ReadMemSize(reader);
        var blocks = ReadBlocks(reader, memSize);
        var resume = reader.Position;
        var flags = new List<RamStreamFlag>();
        ReadToEos(reader, SectionType.Start, ram.SectionId, flags);
        var commands = new List<VmCommand>();
        var deviceState = WalkRamSections(reader, ram.SectionId, flags, commands);
        return new MappedRamLayout(config.MachineType, config.Capabilities, ram.Offset, ram.SectionId, memSize,
            blocks, resume, flags, commands, deviceState);
    }

    /// <summary>
    /// Writes block <paramref name="blockName"/>'s RAM as a raw image of <c>used_length</c> bytes: pages whose
    /// bit is 1 from the file, the others as zeros (fresh RAM is zero, docs/protocol.md §1.4/§1.5).
    /// </summary>
    public static void ExtractBlock(IMigrationFile file, string blockName, Stream output)
    {
        ArgumentNullException.ThrowIfNull(blockName);
        var layout = Inspect(file);
        var entry = layout.Blocks.FirstOrDefault(b => b.Name == blockName)
            ?? throw new ArgumentException(
                $"no RAM block named '{blockName}'; the file has {string.Join(", ", layout.Blocks.Select(b => $"'{b.Name}'"))}",
                nameof(blockName));
        ExtractBlock(file, entry.ToBlock(), output);
    }

    /// <summary>As <see cref="ExtractBlock(IMigrationFile, string, Stream)"/> for a block already read; streams in chunks of at most 1 MiB.</summary>
    public static void ExtractBlock(IMigrationFile file, MappedRamBlock block, Stream output)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(output);
        var reader = new MigrationStreamReader(file, bufferSize: 256);
        var words = reader.ReadBitmap(block);
        if (block.PagesOffset > reader.Length - block.UsedLength)
            throw new MigrationFormatException(block.PagesOffset,
                $"pages of block '{block.Name}' (0x{block.UsedLength:x} bytes) extend past the end of the file at 0x{reader.Length:x}");
        var chunk = new byte[(int)Math.Min(QemuFormat.LoadBufferSize, block.UsedLength)];
        long next = 0;
        foreach (var (start, count) in MappedRamBitmap.Runs(words, block.PageCount))
        {
            WriteZeros(output, (start - next) * block.PageSize, chunk);
            CopyPages(reader, block, start * block.PageSize, count * block.PageSize, output, chunk);
            next = start + count;
        }
        WriteZeros(output, (block.PageCount - next) * block.PageSize, chunk);
    }

    private static MigrationConfiguration ReadMappedRamConfiguration(MigrationStreamReader reader)
    {
        var at = reader.Position;
        var config = reader.ReadConfiguration();
        if (!config.HasCapability(MigrationConfiguration.MappedRamCapability))
            throw new MigrationFormatException(at,
                $"the configuration does not list the 'mapped-ram' capability (it lists: {string.Join(", ", config.Capabilities)}): not a mapped-ram file");
        return config;
    }

    private static SectionHeader ReadRamSectionStart(MigrationStreamReader reader)
    {
        var item = reader.ReadTopLevel();
        if (item is not SectionHeader { Type: SectionType.Start } header)
            throw new MigrationFormatException(item.Offset, $"expected the ram SECTION_START, found {item}");
        var idstrAt = header.Offset + 5;
        if (header.Idstr != QemuFormat.RamIdstr)
            throw new MigrationFormatException(idstrAt, $"SECTION_START idstr '{header.Idstr}' does not match the expected '{QemuFormat.RamIdstr}'");
        var instanceAt = idstrAt + 1 + header.Idstr.Length;
        if (header.InstanceId != 0)
            throw new MigrationFormatException(instanceAt, $"ram section instance id {header.InstanceId}, expected 0");
        if (header.VersionId != QemuFormat.RamSectionVersion)
            throw new MigrationFormatException(instanceAt + 4,
                $"unknown ram section version {header.VersionId}: ram_load accepts only {QemuFormat.RamSectionVersion}");
        return header;
    }

    private static long ReadMemSize(MigrationStreamReader reader)
    {
        var word = reader.ReadRamWord();
        if (!word.IsMemSize)
            throw new MigrationFormatException(word.Offset, $"expected the MEM_SIZE record, found RAM flags 0x{word.Flags:x}");
        if (word.Address > long.MaxValue)
            throw new MigrationFormatException(word.Offset, $"MEM_SIZE total 0x{word.Address:x} overflows a signed 64-bit length");
        if (word.Address == 0)
            throw new MigrationFormatException(word.Offset, "MEM_SIZE total is 0");
        return (long)word.Address;
    }

    private static List<MappedRamBlockLayout> ReadBlocks(MigrationStreamReader reader, long memSize)
    {
        var blocks = new List<MappedRamBlockLayout>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var remaining = memSize; remaining > 0;)
        {
            var at = reader.Position;
            if (blocks.Count == MaxBlocks)
                throw new MigrationFormatException(at, $"more than {MaxBlocks} RAM blocks");
            if (reader.PeekU8("RAMBlock idstr length") == 0)
                throw new MigrationFormatException(at,
                    $"the block list ends with 0x{remaining:x} of MEM_SIZE 0x{memSize:x} unaccounted for: block lengths add up to 0x{memSize - remaining:x}");
            var block = reader.ReadMappedRamBlock();
            if (!names.Add(block.Name))
                throw new MigrationFormatException(at, $"RAM block '{block.Name}' appears twice");
            if (block.UsedLength > remaining)
                throw new MigrationFormatException(at + 1 + block.Name.Length,
                    $"used_length 0x{block.UsedLength:x} of block '{block.Name}' exceeds the 0x{remaining:x} left of MEM_SIZE 0x{memSize:x}: block lengths do not add up to MEM_SIZE");
            remaining -= block.UsedLength;
            var present = MappedRamBitmap.CountSet(reader.ReadBitmap(block), block.PageCount);
            blocks.Add(new MappedRamBlockLayout(block.Name, block.UsedLength, block.PageSize, block.BitmapOffset,
                block.PagesOffset, present, at));
        }
        return blocks;
    }

    /// <summary>Reads the words of one ram section up to and including EOS, then its footer.</summary>
    private static void ReadToEos(MigrationStreamReader reader, SectionType type, uint sectionId, List<RamStreamFlag> flags)
    {
        for (var i = 0; i < MaxWordsPerSection; i++)
        {
            var word = reader.ReadRamWord();
            if (word.IsMemSize)
                throw new MigrationFormatException(word.Offset, "a second MEM_SIZE record: the block list is sent once, in the SECTION_START");
            flags.Add(new RamStreamFlag(word.Offset, type, word.Flags));
            if (!word.IsEos) continue;
            reader.ReadSectionFooter(sectionId);
            return;
        }
        throw new MigrationFormatException(reader.Position, $"no EOS within {MaxWordsPerSection} RAM words of section {sectionId}");
    }

    /// <summary>
    /// Walks ram PART/END sections and commands; returns the offset of the first other item. QEMU_VM_EOF before the
    /// ram section's END is an error, as it is for the loader: the stream was cut at a section boundary.
    /// </summary>
    private static long WalkRamSections(MigrationStreamReader reader, uint ramId, List<RamStreamFlag> flags, List<VmCommand> commands)
    {
        for (var i = 0; i < MaxTrailerItems; i++)
        {
            var item = reader.ReadTopLevel();
            if (item is VmCommand command) commands.Add(command);
            else if (item is SectionHeader { Type: SectionType.Part or SectionType.End } h && h.SectionId == ramId)
                ReadToEos(reader, h.Type, ramId, flags);
            else if (item is VmEof && !flags.Exists(f => f.Section == SectionType.End))
                throw new MigrationFormatException(item.Offset, "the stream ends before the ram section's END");
            else return item.Offset;
        }
        throw new MigrationFormatException(reader.Position, $"more than {MaxTrailerItems} ram sections and commands");
    }

    private static void CopyPages(MigrationStreamReader reader, MappedRamBlock block, long offset, long length, Stream output, byte[] chunk)
    {
        for (long done = 0; done < length;)
        {
            var n = (int)Math.Min(chunk.Length, length - done);
            reader.ReadExactlyAt(chunk.AsSpan(0, n), block.PagesOffset + offset + done, $"pages of block '{block.Name}'");
            output.Write(chunk, 0, n);
            done += n;
        }
    }

    private static void WriteZeros(Stream output, long length, byte[] chunk)
    {
        if (length == 0) return;
        Array.Clear(chunk);
        for (long done = 0; done < length;)
        {
            var n = (int)Math.Min(chunk.Length, length - done);
            output.Write(chunk, 0, n);
            done += n;
        }
    }
}
