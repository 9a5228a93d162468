using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;

namespace SyncModel.Implementation.Recv;

/// <summary>
/// What differs between a mapped-ram file load and a socket load; the main thread's walk over the stream, its
/// sync sites and its end-of-load order (<see cref="Loader"/>) are the same for both.
/// </summary>
internal interface ILoadTransport
{
    /// <summary>The main channel the savevm stream is read from.</summary>
    IMigrationFile MainChannel { get; }

    /// <summary>Before the stream is read: the socket's channel connections are accepted here (their initial packets).</summary>
    void Accept();

    /// <summary>Throws when the configuration section does not fit this transport.</summary>
    void CheckConfiguration(MigrationConfiguration configuration, long at);

    /// <summary>Starts the recv channels that do not run yet (a socket's started at their connection's arrival).</summary>
    void Start();

    /// <summary>Reads one record of the MEM_SIZE block list, checks it against the destination's RAM and acts on it; returns its used length.</summary>
    long ParseBlock(MigrationStreamReader reader, GuestRam ram);

    /// <summary><c>multifd_recv_sync_main</c>.</summary>
    void SyncMain();

    /// <summary>After the RAM section's END: whatever of the stream this transport still reads.</summary>
    void AfterRamSection(MigrationStreamReader reader);

    /// <summary>
    /// What <c>qemu_loadvm_state_cleanup</c> frees that the recv channels may use: the socket channels'
    /// <c>rb->receivedmap</c> (docs/protocol.md §5.9); the file channels use nothing it frees.
    /// </summary>
    void LoadCleanup();

    /// <summary><c>multifd_recv_shutdown</c>.</summary>
    void Shutdown();

    /// <summary><c>multifd_recv_cleanup</c>: terminate and join every recv thread.</summary>
    void Join();

    long ChunksQueued { get; }

    /// <summary>Bytes the channels read into guest RAM; meaningful once they are joined.</summary>
    long BytesLoaded { get; }
}
