using System.Diagnostics;
using CsCheck;
using SyncModel.Properties.Support;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SyncModel.Properties.Generated;

/// <summary>
/// RoundTrip on real threads over generated configurations and workloads, for every correct file policy.
/// CsCheck samples here: a case costs milliseconds, so the property wants many of them, on every core, and
/// CsCheck's shrinking (keep sampling, keep the smallest failing case) needs no shrinker written by hand.
/// </summary>
public sealed class GeneratedRoundTripTests(ITestOutputHelper output)
{
    /// <summary>Cases per policy: 7 policy/F pairs × 50 = 350 real-thread save-then-load runs.</summary>
    private const int CasesPerPolicy = 50;

    /// <summary>
    /// Seconds of sampling for the mutation: CsCheck keeps looking for smaller failing cases until then. The race is on
    /// real threads, so while the Coyote tests load both cores 5 s once ended before a case small enough was found.
    /// </summary>
    private const int MutationSeconds = 10;

    [Theory]
    [MemberData(nameof(Runs.CorrectFilePolicyNames), MemberType = typeof(Runs))]
    public void RoundTrip_restores_every_generated_guest(string policyName, string flush)
    {
        var policy = SyncPolicies.Parse(policyName);
        var f = FlushSetting.Parse(flush);
        var runs = 0;
        var watch = Stopwatch.StartNew();
        CsCheckRun.Sample(WorkloadGen.Case(CaseShape.RealThreads), c =>
        {
            Interlocked.Increment(ref runs);
            if (RoundTripCheck.FirstProblem(c, policy, f) is { } problem) throw new XunitException(problem);
        }, nameof(RoundTrip_restores_every_generated_guest), CasesPerPolicy, output.WriteLine);
        output.WriteLine($"{policyName} F={flush}: {runs} generated workloads on real threads in {watch.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void Zero_pages_that_keep_their_bitmap_bit_fail_the_property_with_a_small_counterexample()
    {
        // docs/protocol.md §5.6 (8fa1a21c). A page that held data when it was sent and is zero at completion keeps bit 1.
        var smallest = new SmallestCase();
        var mutated = WorkloadGen.Case(CaseShape.RealThreads).Select(c => c.With(c.Config with { Mutations = Mutation.ZeroPageBitNotCleared }));
        var failure = Assert.Throws<XunitException>(() => CsCheckRun.Sample<GeneratedCase>(mutated, c =>
        {
            if (RoundTripCheck.FirstProblem(c, Qemu100MappedRam.Instance, FlushSetting.Off) is not { } problem) return;
            smallest.Offer(c, problem);
            throw new XunitException(problem);
        }, nameof(Zero_pages_that_keep_their_bitmap_bit_fail_the_property_with_a_small_counterexample), iter: long.MaxValue, seconds: MutationSeconds));

        var (shrunk, why) = smallest.Case ?? throw new XunitException("no failing case was recorded");
        output.WriteLine($"failing cases seen while shrinking: {smallest.Failures}; smallest: {shrunk.SizeText}");
        output.WriteLine($"{shrunk}\n{why}");
        Assert.Contains(PropertySeed.Variable, failure.Message);
        Assert.Contains("bitmap bit 1", why);
        // On real threads the smallest cases found lose a race: round 1 zeroes a page just after the scan sent it with
        // data, and the writes before the zero one are what delays it. CsCheck ranks cases by its own size (small
        // configuration first), so the page count varies: seen 1–7 pages, 4–18 writes, one round, from up to 1200 pages.
        Assert.InRange(shrunk.PagesWritten, 1, 12);
        Assert.InRange(shrunk.Writes, 2, 40);
        Assert.InRange(shrunk.Rounds, 1, 2);
    }
}
