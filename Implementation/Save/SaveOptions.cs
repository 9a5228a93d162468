using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Save;

/// <summary>What to save and how: configuration, policy, the guest's RAM and what the guest writes.</summary>
public sealed record SaveOptions(MigrationConfig Config, SyncPolicy Policy, GuestRam Ram, Workload Workload)
{
    public ITraceObserver? Observer { get; init; }

    /// <summary>
    /// The file as the send channels see it (QEMU opens the path again per channel, docs/protocol.md §1.8); null =
    /// the main channel's file. Fault injection wraps this one so only channel IO fails.
    /// </summary>
    public IMigrationFile? ChannelFile { get; init; }

    /// <summary>
    /// Asked once per send channel whether its asynchronous creation (the connect of its IO channel) fails
    /// (<see cref="FileOperation.Connect"/>, offset = the channel's id); null = creation never fails.
    /// </summary>
    public IFaultPlan? ConnectFaults { get; init; }
}
