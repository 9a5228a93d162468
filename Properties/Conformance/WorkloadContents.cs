using SyncModel.Implementation.Guest;
using SyncModel.Model.Conformance;
using SyncModel.Protocol.Events;

namespace SyncModel.Properties.Conformance;

/// <summary>
/// The page contents a <see cref="Workload"/> gives the guest, for the validator: a page's version v is its v-th write
/// (the initial writes count, GuestVcpu numbers them so), so a GuestWrite event's version names the fill it wrote.
/// </summary>
internal static class WorkloadContents
{
    public static PageContents Of(Workload workload)
    {
        var fills = new Dictionary<(int, long), List<bool>>();
        foreach (var w in workload.Initial.Concat(workload.Rounds.SelectMany(r => r)))
        {
            if (!fills.TryGetValue((w.Block, w.Page), out var list)) fills[(w.Block, w.Page)] = list = [];
            list.Add(!w.Fill.Zero);
        }
        var initial = new Dictionary<(int, long), bool>();
        foreach (var w in workload.Initial) initial[(w.Block, w.Page)] = !w.Fill.Zero;
        return new PageContents
        {
            InitiallyData = (b, p) => initial.GetValueOrDefault((b, p)),
            WriteIsData = e => e.Kind == EventKind.GuestWrite && fills.TryGetValue((e.Block, e.Page), out var list) && e.Version >= 1 && e.Version <= list.Count
                ? list[(int)e.Version - 1]
                : null,
        };
    }
}
