using SyncModel.Protocol.Events;

namespace SyncModel.Model.Conformance;

/// <summary>
/// How an Implementation trace's ids map onto the model: the model has one RAM block of <c>P</c> pages, the
/// Implementation numbers pages per block, so page <c>p</c> of block <c>b</c> is model page <c>first[b] + p</c>; and
/// every thread gets a slot (main, guest, dest, then one per send and per recv channel) for its expected events.
/// </summary>
internal sealed class TraceShape
{
    public const int Main = 0;
    public const int Guest = 1;
    public const int Dest = 2;
    public const int Slots = 3 + 2 * State.ModelState.MaxChannels;

    private readonly long[] _first;
    private readonly long[] _pages;

    public TraceShape(IReadOnlyList<long> pagesPerBlock, int channels)
    {
        _pages = [.. pagesPerBlock];
        _first = new long[_pages.Length];
        for (var b = 1; b < _pages.Length; b++) _first[b] = _first[b - 1] + _pages[b - 1];
        Channels = channels;
    }

    public int Blocks => _pages.Length;
    public int Channels { get; }

    /// <summary>The model page of page <paramref name="page"/> of block <paramref name="block"/>, or -1 if there is none.</summary>
    public int Global(int block, long page) =>
        block < 0 || block >= _pages.Length || page < 0 || page >= _pages[block] ? -1 : (int)(_first[block] + page);

    /// <summary>"b1:p2" for a model page.</summary>
    public string Local(long global)
    {
        for (var b = _pages.Length - 1; b >= 0; b--)
        {
            if (global >= _first[b]) return $"b{b}:p{global - _first[b]}";
        }
        return $"p{global}";
    }

    /// <summary>The expectation slot of <paramref name="actor"/>, or -1 for a channel the configuration does not have.</summary>
    public int Slot(Actor actor) => actor.Kind switch
    {
        ActorKind.Migration => Main,
        ActorKind.Guest => Guest,
        ActorKind.Destination => Dest,
        ActorKind.Sender => actor.Index >= 0 && actor.Index < Channels ? 3 + actor.Index : -1,
        _ => actor.Index >= 0 && actor.Index < Channels ? 3 + State.ModelState.MaxChannels + actor.Index : -1,
    };
}
