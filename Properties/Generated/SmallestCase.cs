namespace SyncModel.Properties.Generated;

/// <summary>The smallest failing case a sampling run saw (by <see cref="GeneratedCase.Size"/>), from any thread.</summary>
public sealed class SmallestCase
{
    private readonly object _gate = new();
    private (GeneratedCase Case, string Problem)? _smallest;
    private int _failures;

    public (GeneratedCase Case, string Problem)? Case
    {
        get { lock (_gate) return _smallest; }
    }

    public int Failures
    {
        get { lock (_gate) return _failures; }
    }

    public void Offer(GeneratedCase c, string problem)
    {
        lock (_gate)
        {
            _failures++;
            if (_smallest is not { } s || c.Size.CompareTo(s.Case.Size) < 0) _smallest = (c, problem);
        }
    }
}
