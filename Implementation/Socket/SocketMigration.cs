using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Implementation.Save;
using SyncModel.Protocol.Config;

namespace SyncModel.Implementation.Socket;

/// <summary>
/// A socket (packet) multifd migration: unlike a file migration, the destination loads while the source saves.
/// Both sides run on their own threads over in-process connections — the main channel and one per multifd
/// channel — and this joins both. The two sides end a failure as QEMU's do (docs/socket.md, "When a side fails"):
/// a failed source closes its connections (<c>migrate_fd_cleanup</c>: <c>multifd_send_shutdown</c> then
/// <c>qemu_fclose</c>, migration.c:1385-1395 @9.0), so the destination reads what was sent and then end of stream; a
/// failed destination exits (<c>process_incoming_migration_co</c>, migration.c:799-807 @9.0), which resets every
/// connection: the source's blocked and later writes fail. A thread blocked on a semaphore stays blocked, as in QEMU
/// (docs/protocol.md §3.7).
/// </summary>
public static class SocketMigration
{
    /// <summary>
    /// Saves <paramref name="source"/> (config, policy, RAM, workload, source F) and loads it as
    /// <paramref name="destination"/> says (policy, destination F, RAM — fresh RAM of the config's shape when
    /// null — mutations). Throws <see cref="MigrationFailedException"/> when either side failed (inner: that
    /// side's error, or both in an <see cref="AggregateException"/>); returns when both sides are done.
    /// </summary>
    public static SocketMigrationResult Run(SaveOptions source, LoadOptions destination, SocketOptions? socket = null)
    {
        socket ??= new SocketOptions();
        var config = source.Config.Validate();
        if (destination.Channels != config.Channels)
            throw new ArgumentException($"the source has {config.Channels} multifd channels, the destination {destination.Channels}: QEMU needs the same number on both sides");
        destination = destination with { Destination = destination.Destination ?? GuestRam.For(config) };
        var buffer = socket.BufferFor(config.PagesPerBatch, config.PageSize);
        var (sourceMain, destinationMain) = SocketEndpoint.Pair(buffer, destinationFaults: socket.MainFaults);
        var pairs = Enumerable.Range(0, config.Channels).Select(_ => SocketEndpoint.Pair(buffer, socket.SourceFaults, socket.DestinationFaults)).ToArray();
        var all = pairs.SelectMany(p => new[] { p.Source, p.Destination }).Append(sourceMain).Append(destinationMain).ToArray();

        SaveResult? saved = null;
        SocketLoadResult? loaded = null;
        Exception? sourceError = null, destinationError = null;
        var save = new Thread(() =>
        {
            try
            {
                saved = Saver.SaveOverSockets(sourceMain, pairs.Select(p => p.Source).ToArray(), socket.Uuid, source);
            }
            catch (Exception e)
            {
                sourceError = e;
                // The Saver's own cleanup has shut its connections down; closing them again is harmless and covers a
                // cleanup that failed part way (QEMU closes every descriptor of a failed outgoing migration).
                foreach (var end in pairs.Select(p => p.Source).Append(sourceMain)) end.Shutdown();
            }
        }) { IsBackground = true };
        var load = new Thread(() =>
        {
            try
            {
                loaded = Loader.LoadOverSockets(destinationMain, pairs.Select(p => p.Destination).ToArray(), socket.Uuid, config.PagesPerBatch, destination);
            }
            catch (Exception e)
            {
                destinationError = e;
                Reset(all, $"the destination failed and exited: {e.Message}");
            }
        }) { IsBackground = true };
        save.Start();
        load.Start();
        save.Join();
        load.Join();
        if (sourceError is not null || destinationError is not null) throw Failure(sourceError, destinationError);
        return new SocketMigrationResult(saved!, loaded!);
    }

    private static void Reset(SocketEndpoint[] endpoints, string reason)
    {
        foreach (var e in endpoints) e.Abort(reason);
    }

    private static MigrationFailedException Failure(Exception? source, Exception? destination)
    {
        var parts = new List<string>();
        if (source is not null) parts.Add($"source: {Failures.Cause(source).Message}");
        if (destination is not null) parts.Add($"destination: {Failures.Cause(destination).Message}");
        Exception inner = (source, destination) switch
        {
            ({ } s, { } d) => new AggregateException(Failures.Cause(s), Failures.Cause(d)),
            ({ } s, null) => Failures.Cause(s),
            _ => Failures.Cause(destination!),
        };
        return new MigrationFailedException($"socket migration failed: {string.Join("; ", parts)}", inner);
    }
}
