using SyncModel.Protocol.Events;
using SyncModel.Protocol.Vocabulary;
using SyncModel.Protocol.Policies;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Zoo;
using SyncModel.Model;
using SyncModel.Cli.Commands;
using SyncModel.Protocol.Reports;
using Xunit.Abstractions;

namespace SyncModel.Properties.Coyote;

/// <summary>Every bug-zoo entry is found by exploration of the production code and replays from its report; its clean twin stays clean; the model agrees where it has the concept.</summary>
[Collection(CoyoteCollection.Name)]
public sealed class ZooTests(ITestOutputHelper output)
{
    private const uint Budget = 4000;
    private const uint TwinBudget = 120;

    public static TheoryData<string> Entries() => Names(_ => true);

    public static TheoryData<string> EntriesWithTwin() => Names(e => e.CleanTwin is not null);

    public static TheoryData<string> EntriesWithModel() => Names(e => e.Model is not null);

    public static TheoryData<string> EntriesWithModelTwin() => Names(e => e.Model?.Twin is not null);

    private static TheoryData<string> Names(Func<ZooEntry, bool> which)
    {
        var data = new TheoryData<string>();
        foreach (var e in ZooCatalog.Entries.Where(which)) data.Add(e.Name);
        return data;
    }

    private static ZooEntry Entry(string name) => ZooCatalog.Entries.Single(e => e.Name == name);

    [Theory]
    [MemberData(nameof(Entries))]
    public void Coyote_finds_the_entry_and_its_report_replays(string name)
    {
        var e = Entry(name);
        var found = Explorer.Hunt(e.Scenario, e.Property, "pct", seed: 1, Budget);
        output.WriteLine($"{e.Name}: {found.Verdict} {found.Property} at iteration {found.FirstBugIteration}: {found.Message}");
        Assert.Equal(VerdictKind.Violated, found.Verdict);
        Assert.Equal(e.Property, found.Property);
        var dir = Directory.CreateTempSubdirectory("syncmodel-zoo-").FullName;
        try
        {
            var (scenario, trace, property, steps) = CoyoteReports.Read(CoyoteReports.Write(found, dir));
            Assert.Equal(e.Scenario.Config.Mutations, scenario.Config.Mutations);
            var (replayed, _, events) = Explorer.Replay(scenario, trace);
            Assert.Equal(property, replayed);
            Assert.Equal(steps, events.Select(ev => ReportRenderer.EventText(ev)).ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(EntriesWithTwin))]
    public void The_unmutated_twin_stays_clean(string name)
    {
        var twin = Entry(name).CleanTwin!;
        var result = Explorer.Explore(twin, "pct", seed: 1, TwinBudget);
        Assert.True(result.Verdict == VerdictKind.NoViolation, $"{result.Property}: {result.Message}");
    }

    private static ModelCheckResult Check(ZooModel m) => ModelChecker.Check(ZooCommand.ModelOptions(m));

    [Theory]
    [MemberData(nameof(EntriesWithModel))]
    public void The_model_finds_the_same_property_where_it_has_the_concept(string name)
    {
        var r = Check(Entry(name).Model!);
        Assert.Equal(VerdictKind.Violated, r.Verdict);
        Assert.True(ZooModel.Finds(Entry(name).Property, r.Property), $"the model found {r.Property}, the entry is about {Entry(name).Property}");
    }

    [Theory]
    [MemberData(nameof(EntriesWithModelTwin))]
    public void The_model_proves_the_twin_with_the_bug_fixed(string name)
    {
        var r = Check(Entry(name).Model!.Twin!);
        Assert.True(r.Verdict == VerdictKind.Proved, $"{r.VerdictText} {r.Property}");
    }
}
