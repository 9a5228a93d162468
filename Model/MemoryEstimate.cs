using System.Globalization;
using SyncModel.Model.Checking;
using SyncModel.Model.Checking.Engine;

namespace SyncModel.Model;

/// <summary>
/// What a check will need before it starts: the bytes one stored state costs in this configuration (its packed words,
/// its parent link, its share of the hash table), the memory the search may use, and so how many states fit. A run whose
/// state limit cannot fit is refused; one without a limit stops, incomplete, when the memory is used up.
/// </summary>
public sealed record MemoryEstimate(int PackedBits, double BytesPerState, long MaxMemoryBytes, long StatesThatFit, long? RequestedStates)
{
    /// <summary>Whether the requested state limit (if any) fits in the memory limit.</summary>
    public bool Fits => RequestedStates is not { } n || n <= StatesThatFit;

    /// <summary>The estimate for <paramref name="options"/> (own engine).</summary>
    public static MemoryEstimate For(ModelCheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layout = new ModelLayout(options);
        var perState = StateStore.BytesPerState(layout.Words);
        var memory = Resolve(options.MaxMemoryBytes);
        var fit = (long)Math.Min(StateStore.MaxStates, memory / perState);
        return new MemoryEstimate(layout.Bits, perState, memory, fit, options.MaxStates == int.MaxValue ? null : options.MaxStates);
    }

    /// <summary>The memory limit in bytes: the given one, or three quarters of what the process may use.</summary>
    public static long Resolve(long maxMemoryBytes) =>
        maxMemoryBytes > 0 ? maxMemoryBytes : (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.75);

    /// <summary>"up to 50,000,000 states × 58 B = 2.7 GiB, more than --max-memory 2.0 GiB" when it does not fit.</summary>
    public string Describe()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = $"{PackedBits} bits per state, {BytesPerState.ToString("F0", inv)} B stored per state; {Gib(MaxMemoryBytes)} GiB holds about {StatesThatFit.ToString("N0", inv)} states";
        if (RequestedStates is { } n && !Fits)
            text += $"; --max-states {n.ToString("N0", inv)} needs about {Gib((long)(n * BytesPerState))} GiB, more than the limit";
        return text;
    }

    private static string Gib(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture);
}
