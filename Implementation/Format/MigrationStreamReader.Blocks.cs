namespace SyncModel.Implementation.Format;

/// <summary>The block list of a RAM section without mapped-ram (socket multifd): pages are not in the stream.</summary>
public sealed partial class MigrationStreamReader
{
    /// <summary>
    /// Reads one block record of the MEM_SIZE list (<c>u8 idlen, idstr, be64 used_length</c>, as
    /// <c>parse_ramblocks</c> reads it without mapped-ram, postcopy or ignore-shared).
    /// </summary>
    public RamBlockRecord ReadRamBlockRecord()
    {
        var (recordAt, name, used, usedAt) = ReadBlockHead();
        if (used == 0)
            throw new MigrationFormatException(usedAt, $"used_length of block '{name}' is 0");
        return new RamBlockRecord(recordAt, name, used);
    }

    /// <summary>The start every block record shares: <c>u8 idlen, idstr, be64 used_length</c>, with where each began.</summary>
    private (long RecordAt, string Name, long Used, long UsedAt) ReadBlockHead()
    {
        var recordAt = _position;
        var name = ReadIdstr("RAMBlock idstr");
        if (name.Length == 0)
            throw new MigrationFormatException(recordAt, "empty RAMBlock idstr");
        var usedAt = _position;
        var used = ToLength(ReadBe64("used_length"), usedAt, $"used_length of block '{name}'");
        return (recordAt, name, used, usedAt);
    }
}
