using SyncModel.Implementation.Recv;
using SyncModel.Implementation.Save;

namespace SyncModel.Implementation.Socket;

/// <summary>
/// Both sides of a socket migration. <see cref="UncollectedSyncs"/> is how many rounds of SYNC packets the
/// source sent that no recv sync of the destination collected (0 when the two sides agree on where to sync).
/// </summary>
public sealed record SocketMigrationResult(SaveResult Save, SocketLoadResult Load)
{
    public long UncollectedSyncs => Save.Syncs - Load.Syncs;
}
