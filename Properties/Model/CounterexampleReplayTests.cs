using SyncModel.Protocol.Vocabulary;
using CsCheck;
using SyncModel.Model;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Model;

/// <summary>Over random small configurations: every counterexample replays step by step onto the states the search
/// recorded (the replay throws otherwise), ends at the depth reported, and keeps channel identities consistent.</summary>
public sealed class CounterexampleReplayTests
{
    private static readonly Mutation[] Mutations =
        [Mutation.None, Mutation.NoRoundSync, Mutation.ZeroPageBitNotCleared, Mutation.NoCompleteSync, Mutation.NoRecvSync, Mutation.RecvExitAfterSync];

    private static readonly Gen<ModelCheckOptions> Options =
        from policy in Gen.Int[0, ModelConfigs.FilePolicies.Count() - 1]
        from f in Gen.Bool
        from errors in Gen.Int[0, 3]
        from channels in Gen.Int[1, 3]
        from pages in Gen.Int[1, 3]
        from rounds in Gen.Int[0, 2]
        from batch in Gen.Int[1, 2]
        from chunk in Gen.Int[1, 2]
        from live in Gen.Bool
        from mutation in Gen.Int[0, Mutations.Length - 1]
        select new ModelCheckOptions
        {
            Policy = ModelConfigs.FilePolicies.ElementAt(policy),
            FlushSetting = f ? FlushSetting.On : FlushSetting.Off,
            Errors = (ErrorSides)errors,
            Channels = channels,
            Pages = pages,
            Rounds = rounds,
            BatchPages = batch,
            ChunkPages = chunk,
            GuestWrites = 1,
            Live = live,
            Mutations = Mutations[mutation],
            MaxStates = 200_000,
        };

    [Fact]
    public void Every_counterexample_replays_with_stable_channels()
    {
        Options.Sample(o =>
        {
            var r = ModelChecker.Check(o);
            Assert.NotEqual(VerdictKind.Incomplete, r.Verdict);
            if (r.Verdict != VerdictKind.Violated) return;
            Assert.Equal(r.Depth, r.Steps[^1].Index);
            var batchOwner = new Dictionary<long, int>();
            var chunkOwner = new Dictionary<long, int>();
            foreach (var e in r.Counterexample)
            {
                Assert.InRange(e.Channel, -1, o.Channels - 1);
                if (e.Kind == EventKind.Dispatch) batchOwner[e.Id] = e.Channel;
                if (e.Kind is EventKind.WriteBegin or EventKind.WriteEnd) Assert.Equal(batchOwner[e.Id], e.Actor.Index);
                if (e.Kind == EventKind.RecvQueue && e.Id >= 0) chunkOwner[e.Id] = e.Channel;
                if (e.Kind is EventKind.ReadBegin or EventKind.ReadEnd) Assert.Equal(chunkOwner[e.Id], e.Actor.Index);
            }
        }, iter: 60, threads: 1);
    }
}
