namespace SyncModel.Cli.Hostile;

/// <summary>
/// One mutated QEMU file: which original, its length after a cut (or the original length), the bytes laid over it,
/// and what each mutation did, in words. <see cref="Seed"/> and <see cref="Index"/> regenerate it.
/// </summary>
public sealed record HostileInput(int Seed, long Index, string Vector, long Length, IReadOnlyList<Patch> Patches, IReadOnlyList<string> Mutations)
{
    public PatchedFile Open(byte[] original) => new(original, Patches, Length);

    public override string ToString() => $"seed {Seed} input #{Index} ({Vector}, length 0x{Length:x}): {string.Join("; ", Mutations)}";
}
