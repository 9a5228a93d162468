using System.Runtime.CompilerServices;

namespace SyncModel.Model.State;

/// <summary>
/// One state of the model: a whole save-then-load of one migration as eleven 64-bit words.
/// <list type="bullet">
/// <item><see cref="Main"/>: the migration thread (source phase) or the destination main thread (load phase),
/// laid out by <see cref="MainBits"/>.</item>
/// <item><see cref="Mem"/> and <see cref="Aux"/>: the guest pages, the dirty log, the migration bitmap, the file bitmap,
/// the file slots, the batch being filled and the scan cursor (<see cref="Pages"/>); in the load phase only the file
/// bitmap remains. <see cref="Ext"/>: what the guest abstraction does not know about a page (all 0 without it), and the run's mutation
/// switches (<c>Switches</c>).</item>
/// <item>One word per multifd channel (<see cref="Ch"/>): a send thread in the source phase (<see cref="SendBits"/>), a
/// recv thread in the load phase (<see cref="RecvBits"/>). Unused channels stay 0.</item>
/// </list>
/// With the symmetry reduction on, the channel words are kept sorted, so states that differ only by which channel is
/// which are one state. The exhaustive engine stores a state packed to the bits the configuration uses
/// (<c>Checking.ModelLayout</c>); this unpacked form is what the step functions work on.
/// </summary>
public readonly struct ModelState : IEquatable<ModelState>
{
    /// <summary>The most channels a state can hold.</summary>
    public const int MaxChannels = 8;

    /// <summary>The most pages a state can hold.</summary>
    public const int MaxPages = 16;

    private readonly ChannelWords _ch;

    public ModelState(ulong main, ulong mem, ulong aux)
    {
        Main = main;
        Mem = mem;
        Aux = aux;
    }

    private ModelState(ulong main, ulong mem, ulong aux, ulong ext, in ChannelWords ch)
        : this(main, mem, aux)
    {
        Ext = ext;
        _ch = ch;
    }

    public ulong Main { get; init; }

    /// <summary>Four page masks of 16 bits: guest data, dirty log, migration bitmap, file bitmap.</summary>
    public ulong Mem { get; init; }

    /// <summary>Two page masks of 16 bits (current file slots, the batch being filled) and the scan cursor.</summary>
    public ulong Aux { get; init; }

    /// <summary>The guest abstraction's page masks of 16 bits: content forgotten, content not chosen yet, file bitmap bit
    /// unknown; above them the run's mutation switches (<c>Switches</c>).</summary>
    public ulong Ext { get; init; }

    /// <summary>Channel <paramref name="i"/>'s word.</summary>
    public ulong Ch(int i) => _ch[i];

    /// <summary>The state with channel <paramref name="i"/>'s word replaced.</summary>
    public ModelState WithCh(int i, ulong word)
    {
        var ch = _ch;
        ch[i] = word;
        return new ModelState(Main, Mem, Aux, Ext, ch);
    }

    /// <summary>The state with its first <paramref name="words"/>.Length channel words replaced, the others cleared.</summary>
    public ModelState WithChannels(ReadOnlySpan<ulong> words)
    {
        var ch = default(ChannelWords);
        for (var i = 0; i < words.Length && i < MaxChannels; i++) ch[i] = words[i];
        return new ModelState(Main, Mem, Aux, Ext, ch);
    }

    public bool Equals(ModelState other) =>
        Main == other.Main && Mem == other.Mem && Aux == other.Aux && Ext == other.Ext
        && ((ReadOnlySpan<ulong>)_ch).SequenceEqual(other._ch);

    public override bool Equals(object? obj) => obj is ModelState s && Equals(s);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Main);
        h.Add(Mem);
        h.Add(Aux);
        h.Add(Ext);
        for (var i = 0; i < MaxChannels; i++) h.Add(_ch[i]);
        return h.ToHashCode();
    }

    public static bool operator ==(ModelState a, ModelState b) => a.Equals(b);

    public static bool operator !=(ModelState a, ModelState b) => !a.Equals(b);

    public override string ToString()
    {
        var words = new List<string> { $"{Main:x16}", $"{Mem:x16}", $"{Aux:x16}", $"{Ext:x12}" };
        for (var i = 0; i < MaxChannels; i++) words.Add($"{_ch[i]:x}");
        return string.Join(' ', words);
    }

    [InlineArray(MaxChannels)]
    private struct ChannelWords
    {
        private ulong _first;
    }
}
