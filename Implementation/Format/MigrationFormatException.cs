namespace SyncModel.Implementation.Format;

/// <summary>
/// The migration file is not a well-formed QEMU stream. <see cref="Offset"/> is the absolute file offset of
/// the field that is wrong (or where a read ran past the end); the message always names that offset in hex
/// and what is wrong with it.
/// </summary>
public sealed class MigrationFormatException : Exception
{
    public MigrationFormatException(long offset, string problem)
        : base(Describe(offset, problem))
    {
        Offset = offset;
        Problem = problem;
    }

    public MigrationFormatException(long offset, string problem, Exception innerException)
        : base(Describe(offset, problem), innerException)
    {
        Offset = offset;
        Problem = problem;
    }

    /// <summary>Absolute file offset of the offending field.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the offset prefix.</summary>
    public string Problem { get; }

    private static string Describe(long offset, string problem) => $"at offset 0x{offset:x}: {problem}";
}
