using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model.Conformance;

/// <summary>
/// The mapping from a model step to the Implementation events it stands for, in the order one thread emits them.
/// The model step's own events (what its <see cref="EventSink"/> received) are rewritten event by event; the table and
/// its justification are in <see cref="TraceValidator"/>'s remarks and in Model/README.md ("Conformance").
/// </summary>
internal static class EventMapping
{
    public static List<Expect> Translate(ModelMachine m, TraceShape shape, in ModelState before, in ModelState after, IReadOnlyList<TraceEvent> events)
    {
        var list = new List<Expect>(events.Count + 2);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            switch (e.Actor.Kind)
            {
                case ActorKind.Migration:
                    if (e.Kind == EventKind.RoundStart && i + 1 < events.Count && events[i + 1].Kind == EventKind.BitmapSync)
                    {
                        RoundStart(m, e.Round, list);
                        i++;
                    }
                    else
                    {
                        Source(m.Socket, shape, after, e, list);
                    }
                    break;
                case ActorKind.Guest:
                    list.Add(new Expect(EventKind.GuestWrite, e.Actor, Page: e.Page));
                    break;
                case ActorKind.Sender:
                    // A SYNC riding on a job's packet (SyncCarriesPages) is answered right after the write: no wake-up of its own.
                    if (e.Kind == EventKind.SyncAck && i > 0 && events[i - 1].Kind == EventKind.WriteEnd && events[i - 1].Actor == e.Actor)
                        list.Add(new Expect(EventKind.SyncAck, e.Actor));
                    else
                        Send(after, e, list);
                    break;
                case ActorKind.Destination:
                    Destination(m.SocketDestination, before, e, list);
                    break;
                case ActorKind.Receiver when m.SocketDestination:
                    SocketRecv(e, list);
                    break;
                default:
                    Recv(m.RecvSync == RecvSyncKind.OneShot, e, list);
                    break;
            }
        }
        return list;
    }

    /// <summary>
    /// The model's <c>main.BitmapSync</c> step starts an iterate call or complete: RoundStart then BitmapSync. The
    /// Implementation's first iterate call has no bitmap sync of its own (setup's full bitmap is still being sent, as in
    /// QEMU's bulk stage, where <c>migration_bitmap_sync</c> ran in <c>ram_init_bitmaps</c>), later calls sync before
    /// announcing the round, and complete announces the round first. The guest is between rounds (or stopped) at all of
    /// these points, so the order within the pair is unobservable.
    /// </summary>
    private static void RoundStart(ModelMachine m, int round, List<Expect> list)
    {
        var start = new Expect(EventKind.RoundStart, Actor.Migration);
        var sync = new Expect(EventKind.BitmapSync, Actor.Migration);
        if (round == m.R + 1)
        {
            list.Add(start);
            list.Add(sync);
        }
        else if (round == 1)
        {
            list.Add(start);
        }
        else
        {
            list.Add(sync);
            list.Add(start);
        }
    }

    private static void Source(bool socket, TraceShape shape, in ModelState after, in TraceEvent e, List<Expect> list)
    {
        var main = Actor.Migration;
        switch (e.Kind)
        {
            case EventKind.Dispatch:
                list.Add(new Expect(EventKind.Dispatch, main, e.Channel, Count: e.Count, Mask: SendBits.Job(after.Ch(e.Channel))));
                break;
            case EventKind.SyncRequest:
                list.Add(new Expect(EventKind.SyncRequest, main, e.Channel, Abandonable: true));
                break;
            case EventKind.SyncWait or EventKind.SyncDone:
                list.Add(new Expect(e.Kind, main, e.Channel));
                break;
            case EventKind.CreateFail:
                list.Add(new Expect(EventKind.CreateFail, main, e.Channel, Error: true));
                break;
            case EventKind.StreamFlag:
                // A socket's main stream write fails once the peer is gone (ModelMachine.MainStreamMayFail): the records still
                // owed are dropped when the failed save terminates.
                list.Add(new Expect(EventKind.StreamFlag, main, Flag: e.Flag, Abandonable: socket));
                break;
            case EventKind.FileBitmapWrite:
                // ram_save_file_bmap writes each block's bitmap at its own offset; the model has one block.
                for (var b = 0; b < shape.Blocks; b++) list.Add(new Expect(EventKind.FileBitmapWrite, main, Block: b));
                break;
            case EventKind.Join:
                // The source's join is inside multifd_send_shutdown; the Implementation announces no event for it.
                break;
            default:
                list.Add(new Expect(e.Kind, main));
                break;
        }
    }

    private static void Send(in ModelState after, in TraceEvent e, List<Expect> list)
    {
        switch (e.Kind)
        {
            case EventKind.WriteBegin:
                list.Add(new Expect(EventKind.Wake, e.Actor));
                list.Add(new Expect(EventKind.WriteBegin, e.Actor, Count: e.Count, Mask: SendBits.Job(after.Ch(e.Actor.Index))));
                break;
            case EventKind.SyncAck:
                list.Add(new Expect(EventKind.Wake, e.Actor));
                list.Add(new Expect(EventKind.SyncAck, e.Actor));
                break;
            case EventKind.Exit:
                list.Add(new Expect(EventKind.Exit, e.Actor, Error: e.Error is not null));
                break;
            case EventKind.CreateFail:
                // A socket channel's failed connect, on its creation thread.
                list.Add(new Expect(EventKind.CreateFail, e.Actor, e.Channel, Error: true));
                break;
            default:
                list.Add(new Expect(e.Kind, e.Actor));
                break;
        }
    }

    private static void Destination(bool socket, in ModelState before, in TraceEvent e, List<Expect> list)
    {
        var dest = Actor.Destination;
        switch (e.Kind)
        {
            case EventKind.Exit:
                // The socket destination's main stream broke (dest.MainFail): the Implementation's main thread announces its
                // failure on the way out, which is no model step (ConformanceReplay.IsFailureAnnouncement).
                break;
            case EventKind.RecvQueue:
                list.Add(new Expect(EventKind.RecvQueue, dest, e.Channel, e.Page, e.Count));
                break;
            case EventKind.SeeFlag when e.Error is not null:
                // The model's note that the record failed the load ("Unexpected RAM flags", or multifd_recv saw
                // exiting): the Implementation throws there and announces nothing.
                break;
            case EventKind.SeeFlag:
                list.Add(new Expect(EventKind.SeeFlag, dest, Flag: e.Flag));
                break;
            case EventKind.SyncRequest or EventKind.SyncDone:
                // v4's one-shot sync posts each channel's sem and waits its own sem_sync between RecvSyncBegin and
                // RecvSyncEnd; the Implementation announces only those two.
                break;
            case EventKind.Shutdown when socket ? DestBits.Failed.On(before.Aux) : MainBits.Failed.On(before.Main):
                // A failed load never reaches the BH: migration_incoming_state_destroy's multifd_recv_cleanup
                // terminates the threads inside the join.
                break;
            default:
                list.Add(new Expect(e.Kind, dest));
                break;
        }
    }

    /// <summary>A socket recv thread reads packets without waiting on a semaphore per packet: each model step is its own event.
    /// The page a packet carries is in the model's connection, so a read names it. <c>Wake</c> is the return from the thread's
    /// own <c>sem_sync</c> after a SYNC (owed by the recv sync's release, or its own <c>recv.Wake</c> step).</summary>
    private static void SocketRecv(in TraceEvent e, List<Expect> list)
    {
        switch (e.Kind)
        {
            case EventKind.ReadBegin or EventKind.ReadEnd:
                list.Add(new Expect(e.Kind, e.Actor, Page: e.Page, Count: e.Count));
                break;
            case EventKind.Exit:
                list.Add(new Expect(EventKind.Exit, e.Actor, Error: e.Error is not null));
                break;
            default:
                list.Add(new Expect(e.Kind, e.Actor));
                break;
        }
    }

    private static void Recv(bool oneShot, in TraceEvent e, List<Expect> list)
    {
        switch (e.Kind)
        {
            case EventKind.ReadBegin:
                list.Add(new Expect(EventKind.Wake, e.Actor));
                list.Add(new Expect(EventKind.ReadBegin, e.Actor));
                break;
            case EventKind.SyncPost:
                list.Add(new Expect(EventKind.Wake, e.Actor));
                // v4's thread leaves its loop on a kick and posts its own sem_sync on the way out, after its Exit.
                if (!oneShot) list.Add(new Expect(EventKind.SyncPost, e.Actor));
                break;
            case EventKind.Exit:
                list.Add(new Expect(EventKind.Exit, e.Actor, Error: e.Error is not null));
                if (oneShot) list.Add(new Expect(EventKind.SyncPost, e.Actor));
                break;
            default:
                list.Add(new Expect(e.Kind, e.Actor));
                break;
        }
    }
}
