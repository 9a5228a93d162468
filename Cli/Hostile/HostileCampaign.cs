namespace SyncModel.Cli.Hostile;

/// <summary>Generates and reads hostile inputs <c>first .. first+count-1</c> of a seed; the tests run a slice, the bench ten thousand.</summary>
public sealed class HostileCampaign
{
    private readonly HostileInputs _inputs;
    private readonly HostileRunner _runner;

    public HostileCampaign(IReadOnlyList<(string Name, byte[] Bytes)> originals, TimeSpan inputTimeout)
    {
        _inputs = new HostileInputs(originals);
        _runner = new HostileRunner(originals.ToDictionary(o => o.Name, o => o.Bytes), inputTimeout);
    }

    /// <summary>A campaign over the QEMU files in <paramref name="vectorsDirectory"/> (null: beside the repository).</summary>
    public static HostileCampaign ForQemuVectors(string? vectorsDirectory, TimeSpan inputTimeout)
        => new(QemuVectorFiles.Load(QemuVectorFiles.Directory(vectorsDirectory)), inputTimeout);

    public HostileInput Input(int seed, long index) => _inputs.Create(seed, index);

    public HostileResult Run(HostileInput input) => _runner.Run(input);

    public HostileTally Run(int seed, long first, int count, Action<HostileTally>? progress = null)
    {
        var tally = new HostileTally();
        for (var i = 0L; i < count; i++)
        {
            tally.Add(_runner.Run(_inputs.Create(seed, first + i)));
            progress?.Invoke(tally);
        }
        return tally;
    }
}
