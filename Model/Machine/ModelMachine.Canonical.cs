using SyncModel.Model.State;

namespace SyncModel.Model.Machine;

/// <summary>
/// The canonical form of a state: the representative every search stores. Two reductions, each a relation under which
/// equivalent states have the same futures and the same property verdicts, so merging them loses nothing:
/// <list type="bullet">
/// <item><b>Abstraction</b> (<see cref="ModelCheckOptions.Abstraction"/>): values no later step and no property reads
/// are cleared (see <see cref="ClearDeadValues"/>).</item>
/// <item><b>Symmetry</b> (<see cref="ModelCheckOptions.Symmetry"/>): the channel words are sorted; every step and every
/// requirement treats channels alike.</item>
/// </list>
/// </summary>
internal sealed partial class ModelMachine
{
    /// <summary>The representative of <paramref name="s"/>'s class.</summary>
    public ModelState Canonical(in ModelState s)
    {
        Span<int> perm = stackalloc int[ModelState.MaxChannels];
        return Canonical(s, perm);
    }

    /// <summary>The representative of <paramref name="s"/>'s class; <paramref name="perm"/>[i] is the index in
    /// <paramref name="s"/> of the channel now at i.</summary>
    public ModelState Canonical(in ModelState s, Span<int> perm)
    {
        var t = Options.Abstraction ? ClearDeadValues(s) : s;
        for (var i = 0; i < N; i++) perm[i] = i;
        if (!Symmetric || N == 1) return t;
        Span<ulong> w = stackalloc ulong[ModelState.MaxChannels];
        for (var i = 0; i < N; i++) w[i] = t.Ch(i);
        for (var i = 1; i < N; i++)
        {
            var x = w[i];
            var px = perm[i];
            var j = i - 1;
            while (j >= 0 && w[j] > x)
            {
                w[j + 1] = w[j];
                perm[j + 1] = perm[j];
                j--;
            }
            w[j + 1] = x;
            perm[j + 1] = px;
        }
        return t.WithChannels(w[..N]);
    }

    /// <summary>
    /// Clears the source's values that are dead: no step reads them before one writes them, and no property reads them.
    /// <list type="bullet">
    /// <item>The pages queued by this iterate call: read only by a scan under a rate limit, before complete; a bitmap
    /// sync (the next step from the gap between calls) resets it.</item>
    /// <item>The wrap's limit (<c>last_page</c> at the start of the call): read only after the wrap, until it is done.</item>
    /// <item>The sender site of the running sync: read only while the sync runs (its batch flush included).</item>
    /// <item>The guest's write counts once the guest can never write again (complete's bitmap sync, <c>exiting</c>).</item>
    /// <item>Whether a zero page's slot holds the newest content: a zero page has no slot to check, and a data write
    /// clears the flag before anyone reads it.</item>
    /// <item>On the socket transport, every page's content (<see cref="ForgetContents"/>).</item>
    /// </list>
    /// And the guest abstraction's two merges (<c>ModelMachine.Abstraction.cs</c>): settled pages forget their content, the
    /// load keeps only its file's chunk count.
    /// </summary>
    public ModelState ClearDeadValues(in ModelState s)
    {
        if (!IsSource(s)) return CanonicalLoadBitmap(s);
        var m = s.Main;
        var pc = PcOf(s);
        var iter = MainBits.Iter.Get(m);
        if (Options.PagesPerIteration == 0 || pc == Pc.Gap || iter > R) m = MainBits.PagesThisIter.Set(m, 0);
        if (!MainBits.Wrapped.On(m)) m = MainBits.Limit.Set(m, 0);
        var syncing = pc is Pc.SyncRequest or Pc.SyncCommit or Pc.SyncWait || (pc == Pc.Dispatch && MainBits.Pending.Get(m) == MainBits.NoPage);
        if (!syncing) m = MainBits.Site.Set(m, 0);
        var guestDone = MainBits.Exiting.On(m) || MainBits.Failed.On(m) || iter > R + 1 || (iter == R + 1 && pc != Pc.Gap);
        if (guestDone) m = MainBits.GuestTotal.Set(MainBits.GuestWrites.Set(m, 0), 0);
        var t = s with { Main = m };
        if (SocketDestination) return ClearSocketDeadValues(t);
        t = Pages.Set(t, PageFact.SlotCurrent, Pages.Get(t, PageFact.SlotCurrent) & Pages.Get(t, PageFact.Data));
        t = Forget(t);
        return Socket ? ForgetContents(t) : t;
    }

    /// <summary>The socket source: what a page holds steers nothing (a job's pages go into its packet whatever they hold)
    /// and no property reads it without a destination, so every page's content, slot and bitmap facts and each send word's
    /// snapshot of its job are dead.</summary>
    private ModelState ForgetContents(ModelState s)
    {
        foreach (var f in (ReadOnlySpan<PageFact>)[PageFact.Data, PageFact.SlotCurrent, PageFact.FileBit, PageFact.Free, PageFact.DataUnknown, PageFact.FileUnknown])
            s = Pages.Set(s, f, 0);
        for (var i = 0; i < N; i++)
        {
            var w = s.Ch(i);
            s = s.WithCh(i, SendBits.WithJob(w, SendBits.Job(w)));
        }
        return s;
    }
}
