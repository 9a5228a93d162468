namespace SyncModel.Implementation.IO;

/// <summary>Fails the <see cref="N"/>-th call (from 1) of one kind of operation, once.</summary>
public sealed class NthCallFault(FileOperation operation, int n) : IFaultPlan
{
    private int _calls;

    public int N => n;

    public bool ShouldFail(FileOperation op, long offset, int length)
        => op == operation && Interlocked.Increment(ref _calls) == n;
}
