namespace SyncModel.Implementation.IO;

/// <summary>Decides, call by call, whether a channel's IO fails (fault injection below the positional IO calls).</summary>
public interface IFaultPlan
{
    bool ShouldFail(FileOperation operation, long offset, int length);
}
