using Microsoft.Coyote.Random;
using SyncModel.Implementation.IO;

namespace SyncModel.Coyote.Scenarios;

/// <summary>
/// Fails at most one channel IO call per iteration, at a call Coyote chooses: before the first call it asks
/// the controlled random generator for an index k among the next <c>horizon</c> calls (k = horizon: none).
/// </summary>
public sealed class CoyoteFaultPlan : IFaultPlan
{
    private readonly Generator _random = Generator.Create();
    private readonly int _horizon;
    private int _target = -1;
    private int _calls;

    public CoyoteFaultPlan(int horizon) => _horizon = horizon;

    public bool ShouldFail(FileOperation operation, long offset, int length)
    {
        if (_target < 0) _target = _random.NextInteger(_horizon + 1);
        return _calls++ == _target;
    }
}
