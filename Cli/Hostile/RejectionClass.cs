using SyncModel.Implementation.Format;

namespace SyncModel.Cli.Hostile;

/// <summary>Groups format errors by what the reader found wrong, from the problem text of the exception.</summary>
public static class RejectionClass
{
    /// <summary>Tried in order: the first class whose words the problem contains.</summary>
    private static readonly (string Class, string[] Words)[] Classes =
    [
        ("cut short", ["truncated", "past the end", "outside the file", "cut short", "stream ends before"]),
        ("file header", ["magic", "stream version"]),
        ("configuration", ["configuration", "machine type", "capabilit", "target page bits", "subsection"]),
        ("RAM flags", ["RAM flags", "MEM_SIZE record", "no EOS", "MULTIFD_FLUSH"]),
        ("MEM_SIZE", ["MEM_SIZE"]),
        ("block record", ["idstr", "used_length", "page_size", "page size", "header version", "appears twice", "unknown RAM block", "RAM blocks", "block list"]),
        ("bitmap/pages placement", ["bitmap_offset", "pages_offset", "bitmap of block", "pages of block", "overlaps", "misaligned", "overflows"]),
        ("section framing", ["section", "SECTION_START", "footer", "command", "vmdescription", "QEMU_VM_EOF"]),
    ];

    public static string Of(MigrationFormatException e)
    {
        foreach (var (name, words) in Classes)
        {
            if (words.Any(w => e.Problem.Contains(w, StringComparison.Ordinal))) return name;
        }
        return "other";
    }
}
