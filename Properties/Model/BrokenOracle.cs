using SyncModel.Model.Checking;
using SyncModel.Model.Checking.Engine;
using SyncModel.Model.State;

namespace SyncModel.Properties.Model;

/// <summary>The model's stubborn-set oracle with one deliberate mistake (for <see cref="BrokenReductionTests"/>).</summary>
internal readonly struct BrokenOracle(ModelSearch search, BrokenOracle.Fault fault) : IStubbornOracle<ModelState>
{
    public enum Fault
    {
        /// <summary>The main thread's steps are not all stubborn: the set starts from nothing.</summary>
        MainNotStubborn,
        /// <summary>A send's snapshot does not take along the guest's writes to the pages it reads.</summary>
        SnapshotIgnoresGuest,
    }

    private readonly ModelPartialOrder _inner = new(search);
    private readonly StepTable _steps = new(search);

    public void Base(in ModelState s, ref GroupSet set)
    {
        if (fault != Fault.MainNotStubborn) _inner.Base(s, ref set);
    }

    public void Conflicts(in ModelState s, int group, ref GroupSet set)
    {
        var add = default(GroupSet);
        _inner.Conflicts(s, group, ref add);
        if (fault == Fault.SnapshotIgnoresGuest && _steps.Kind[group] == StepKind.WriteBegin) add.ExceptWith(_steps.GuestAll);
        set.UnionWith(add);
    }

    public int EnablingSets(in ModelState s, int group, Span<GroupSet> candidates) => _inner.EnablingSets(s, group, candidates);
}
