using System.Text;
using SyncModel.Protocol.Events;

namespace SyncModel.Model.Conformance;

/// <summary>
/// One Implementation event that a model step stands for, as a pattern: the kind and the actor always; the ids the
/// model knows when it has them (channel, model page, page mask of a batch, count, stream flag, block of a bitmap
/// write, whether an exit is an error). Batch and chunk ids are not in the model state; <see cref="TraceIds"/> checks
/// them against the trace itself.
/// </summary>
/// <param name="Mask">For a batch: the model pages it holds; the Implementation's first page must be one of them
/// (its batch lists pages in the order found, which can start after a wrap; the model keeps a set).</param>
/// <param name="Abandonable">A request of <c>multifd_send_sync_main</c>'s first loop, which the model posts to every
/// channel in one step but QEMU stops posting when it sees <c>exiting</c> (docs/protocol.md §2.4).</param>
internal readonly record struct Expect(
    EventKind Kind,
    Actor Actor,
    int Channel = -1,
    long Page = -1,
    int Count = -1,
    int Mask = 0,
    RamFlag Flag = RamFlag.None,
    bool? Error = null,
    int Block = -1,
    bool Abandonable = false)
{
    public bool Matches(in TraceEvent e, TraceShape shape)
    {
        if (e.Kind != Kind || e.Actor != Actor) return false;
        if (Channel >= 0 && e.Channel != Channel) return false;
        if (Flag != RamFlag.None && e.Flag != Flag) return false;
        if (Error is { } failed && (e.Error is not null) != failed) return false;
        if (Block >= 0 && e.Block != Block) return false;
        if (Count >= 0 && e.Count != Count) return false;
        if (Page < 0 && Mask == 0) return true;
        var page = shape.Global(e.Block, e.Page);
        if (page < 0) return false;
        return Mask != 0 ? (Mask >> page & 1) != 0 : page == Page;
    }

    /// <summary>"main Dispatch ch=1 {p2,p3}", "recv0 ReadBegin", "main StreamFlag EOS".</summary>
    public string Describe(TraceShape shape)
    {
        var sb = new StringBuilder();
        sb.Append(Actor).Append(' ').Append(Kind);
        if (Channel >= 0) sb.Append(" ch=").Append(Channel);
        if (Block >= 0) sb.Append(" b").Append(Block);
        if (Mask != 0)
        {
            var mask = Mask;
            var pages = Enumerable.Range(0, State.ModelState.MaxPages).Where(p => (mask >> p & 1) != 0).Select(p => shape.Local(p));
            sb.Append(" {").Append(string.Join(",", pages)).Append('}');
        }
        else if (Page >= 0)
        {
            sb.Append(' ').Append(shape.Local(Page));
            if (Count > 0) sb.Append('+').Append(Count);
        }
        if (Flag != RamFlag.None) sb.Append(' ').Append(Flag.ToString().ToUpperInvariant());
        if (Error == true) sb.Append(" (error)");
        return sb.ToString();
    }
}
