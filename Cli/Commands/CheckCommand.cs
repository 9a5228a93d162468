using System.CommandLine;
using System.CommandLine.Parsing;
using SyncModel.Model;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel check</c>: the exhaustive model checker (<see cref="ModelChecker"/>) on one configuration, on the
/// whole matrix (<c>--matrix</c>), or as a fault table (<c>--faults</c>). Accepts every flag
/// <see cref="ModelCheckOptions.ToCommandLine"/> emits, so a report's replay command runs verbatim.
/// </summary>
public sealed class CheckCommand
{
    /// <summary>Exit code when the search gave no verdict: it stopped before the space closed, or the policy is not modelled.</summary>
    public const int NoVerdict = 3;

    /// <summary>Exit code after Ctrl+C (128 + SIGINT): the search stopped at once, verdict incomplete, figures printed.</summary>
    public const int Interrupted = Interrupt.ExitCode;

    private const string Help =
        "exhaustively check every interleaving of the abstract model of one save-then-load. "
        + "Exit codes: 0 proved (--matrix: every verdict is the one docs/protocol.md §4 gives, nothing incomplete; the socket preset's not-modelled rows do not count), "
        + "1 a violation was found (--matrix: a verdict differs from docs/protocol.md §4; --faults: the unmutated configuration already fails), "
        + "2 bad arguments (or a --max-states that cannot fit in --max-memory), 3 no verdict (incomplete: the search stopped before the state space closed; "
        + "or the policy is not modelled), 130 interrupted by Ctrl+C (incomplete, figures printed).";

    /// <summary>The model's own defaults: every optional flag defaults to them, so omitted flags in a replay command mean the same thing.</summary>
    private static readonly ModelCheckOptions Defaults = new() { Policy = Qemu90MappedRam.Instance };

    private readonly Option<string?> policy = new("--policy", "-p")
    {
        Description = $"sync policy (required unless --matrix): {string.Join(", ", SyncPolicies.All.Select(p => p.Name))}",
    };
    private readonly Option<string?> flush = new("--flush-after-each-section", "-F")
    {
        Description = "multifd_flush_after_each_section: on, off or SRC,DST (e.g. on,off); the bare flag means on; default off",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private readonly Option<int> channels = Int("--channels", "multifd channels per side, 1..8", Defaults.Channels, "-n");
    private readonly Option<int> pages = Int("--pages", "guest pages in one RAM block, 1..16", Defaults.Pages);
    private readonly Option<int> rounds = Int("--rounds", "live iterate calls (SECTION_PART) before complete, 0..4", Defaults.Rounds);
    private readonly Option<string?> errors = new("--errors")
    {
        Description = "what may fail (at most once per run), comma-separated: off, source, destination or both (channel IO), connect "
            + "(a send channel's creation, §2.9), main (a socket destination's main stream breaks, §5.9); the bare flag means destination (docs/protocol.md §3.7); with --matrix it picks the error column (default destination)",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private readonly Option<int> maxStates = Int("--max-states", "stop (verdict incomplete) after this many distinct states; default: as many as --max-memory holds (a limit that cannot fit is refused before the search)", Defaults.MaxStates);
    private readonly Option<string?> maxMemory = new("--max-memory")
    {
        Description = "memory the visited set may use, e.g. 16G; default three quarters of the memory available; the search stops (incomplete) there",
    };
    private readonly Option<int> threads = Int("--threads", "worker threads for the search; 0 = one per core", Defaults.Threads);
    private readonly Option<bool> noPor = new("--no-por") { Description = "explore every enabled step in each state (no partial-order reduction; the guest's writes are not postponed)" };
    private readonly Option<bool> noWaitOrder = new("--no-wait-order") { Description = "a sync may wait for its channels in any order, also where the order cannot matter" };
    private readonly Option<bool> noAbstraction = new("--no-abstraction") { Description = "keep every value (no dead-value clearing, settled pages keep their content, the load keeps its bitmap)" };
    private readonly Option<string?> engine = new("--engine") { Description = "search engine: bfs (default) or cscheck (CsCheck's Check.Exhaustive, the reference for small sizes; no partial-order reduction)" };
    private readonly Option<bool> profile = new("--profile") { Description = "report, per state component, the distinct values the search met, and which steps made the most new states" };
    private readonly Option<int?> maxDepth = new("--max-depth") { Description = "stop (verdict incomplete) after this many steps; default unlimited" };
    private readonly Option<int> batchPages = Int("--batch-pages", "pages per send batch, 1..16", Defaults.BatchPages);
    private readonly Option<int> chunkPages = Int("--chunk-pages", "pages per recv chunk, 1..16", Defaults.ChunkPages);
    private readonly Option<int> socketBuffer = Int("--socket-buffer", "a socket migration with its destination: packets each connection holds, 1..2 (with 1 the source's sync alone orders the rounds)", Defaults.SocketBuffer);
    private readonly Option<int> guestWrites = Int("--guest-writes", "guest writes between two bitmap syncs, 0..15", Defaults.GuestWrites);
    private readonly Option<int> guestBudget = Int("--guest-budget", "guest writes in the whole save, 1..15 (beside --guest-writes per interval; 0 = no total budget)", Defaults.GuestBudget);
    private readonly Option<bool> live = new("--live") { Description = "the guest writes at any time before complete, concurrently with the channels" };
    private readonly Option<int> pagesPerIteration = Int("--pages-per-iteration", "pages an iterate call may queue before it returns mid-round, 0..15; 0 = unlimited", Defaults.PagesPerIteration);
    private readonly Option<string?> mutations = new("--mutations")
    {
        Description = $"mutation switches, comma-separated: {ModelCheckOptions.ModelledMutations.ToString().Replace(" ", "", StringComparison.Ordinal)}",
    };
    private readonly Option<bool> saveOnly = new("--save-only") { Description = "check the save only: the run ends when the file is closed" };
    private readonly Option<bool> noSymmetry = new("--no-symmetry") { Description = "do not merge states that differ only by channel numbering" };
    private readonly Option<string?> reports = new("--reports") { Description = "where to write counterexample reports; default ./reports" };
    private readonly Option<bool> matrix = new("--matrix") { Description = "every preset × F off/on × errors off/on at the given size, as one table" };
    private readonly Option<bool> faults = new("--faults") { Description = "inject each modelled mutation in turn and show which requirement catches it" };
    private readonly Option<bool> json = CommonOptions.Json();
    private readonly Command command;

    private CheckCommand()
    {
        command = new Command("check", Help)
        {
            policy, flush, channels, pages, rounds, errors, maxStates, maxDepth, batchPages, chunkPages, socketBuffer, guestWrites, guestBudget, live,
            pagesPerIteration, mutations, saveOnly, noSymmetry, noPor, noAbstraction, noWaitOrder, engine, threads, maxMemory, profile, reports, matrix, faults, json,
        };
        command.SetAction(r => CliRun.Guard(() => Run(r)));
    }

    public static Command Create() => new CheckCommand().command;

    /// <summary>
    /// Parses a <c>check</c> command line (the words after <c>syncmodel</c>, starting with <c>check</c>) into the options
    /// it would check. Throws <see cref="ArgumentException"/> for anything the verb would reject with exit code 2.
    /// </summary>
    public static ModelCheckOptions ParseOptions(IReadOnlyList<string> args)
    {
        var c = new CheckCommand();
        var parse = new RootCommand { c.command }.Parse(args);
        if (parse.Errors.Count > 0) throw new ArgumentException(string.Join("; ", parse.Errors.Select(e => e.Message)));
        return c.ToOptions(parse, requirePolicy: true);
    }

    private int Run(ParseResult r)
    {
        var reportDir = r.GetValue(reports) ?? "reports";
        if (File.Exists(reportDir)) throw new ArgumentException($"--reports {reportDir}: that is a file, not a folder");
        var print = new CheckOutput(r.InvocationConfiguration.Output, r.InvocationConfiguration.Error);
        if (r.GetValue(matrix))
        {
            if (r.GetValue(faults)) throw new ArgumentException("--matrix and --faults cannot be combined");
            if (Given(r, policy) || Given(r, flush)) throw new ArgumentException("--matrix runs every policy with F off and on; drop --policy and --flush-after-each-section");
            var template = ToOptions(r, requirePolicy: false);
            var errorColumn = Given(r, errors) ? template.Errors : ErrorSides.Destination;
            using var stop = new Interrupt();
            return print.Matrix(template with { Errors = ErrorSides.None }, errorColumn, reportDir, r.GetValue(json), stop.Token);
        }
        var options = ToOptions(r, requirePolicy: true);
        if (r.GetValue(faults)) return print.Faults(options, r.GetValue(json));
        using var interrupt = new Interrupt();
        return print.Single(options, reportDir, r.GetValue(json), interrupt.Token, terminal: !Console.IsErrorRedirected);
    }

    private ModelCheckOptions ToOptions(ParseResult r, bool requirePolicy)
    {
        var name = r.GetValue(policy);
        if (name is null && requirePolicy) throw new ArgumentException("--policy is required (or use --matrix)");
        return new ModelCheckOptions
        {
            Policy = name is null ? Defaults.Policy : SyncPolicies.Parse(name),
            FlushSetting = FlushSetting.Parse(OptionalValue(r, flush, absent: "off", bare: "on")),
            Channels = r.GetValue(channels),
            Pages = r.GetValue(pages),
            Rounds = r.GetValue(rounds),
            Errors = ErrorSidesText.Parse(OptionalValue(r, errors, absent: "none", bare: "destination")),
            MaxStates = r.GetValue(maxStates),
            MaxDepth = r.GetValue(maxDepth) ?? Defaults.MaxDepth,
            Symmetry = !r.GetValue(noSymmetry),
            PartialOrder = !r.GetValue(noPor),
            Abstraction = !r.GetValue(noAbstraction),
            FixedWaitOrder = !r.GetValue(noWaitOrder),
            Engine = ParseEngine(r.GetValue(engine)),
            Threads = r.GetValue(threads),
            MaxMemoryBytes = r.GetValue(maxMemory) is { } m ? Sizes.Parse(m) : 0,
            Profile = r.GetValue(profile),
            Mutations = ParseMutations(r.GetValue(mutations)),
            BatchPages = r.GetValue(batchPages),
            ChunkPages = r.GetValue(chunkPages),
            SocketBuffer = r.GetValue(socketBuffer),
            GuestWrites = r.GetValue(guestWrites),
            GuestBudget = r.GetValue(guestBudget),
            Live = r.GetValue(live),
            PagesPerIteration = r.GetValue(pagesPerIteration),
            SaveOnly = r.GetValue(saveOnly),
        }.Validate();
    }

    /// <summary>"bfs" (or absent) or "cscheck".</summary>
    public static ModelEngine ParseEngine(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "bfs" => ModelEngine.Bfs,
        "cscheck" => ModelEngine.CsCheck,
        _ => throw new ArgumentException($"engine '{text}': expected bfs or cscheck"),
    };

    /// <summary>"NoRoundSync,ZeroPageBitNotCleared" (as <see cref="ModelCheckOptions.ToCommandLine"/> writes them); "none" or absent = none.</summary>
    public static Mutation ParseMutations(string? text)
    {
        var result = Mutation.None;
        if (string.IsNullOrWhiteSpace(text)) return result;
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var known = Enum.GetNames<Mutation>().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            if (known is null) throw new ArgumentException($"unknown mutation '{name}'; expected one of: {string.Join(", ", Enum.GetNames<Mutation>())}");
            result |= Enum.Parse<Mutation>(known);
        }
        return result;
    }

    /// <summary>The value of an option whose value is optional: <paramref name="absent"/> when not given, <paramref name="bare"/> when given without a value.</summary>
    private static string OptionalValue(ParseResult r, Option<string?> option, string absent, string bare)
    {
        if (r.GetResult(option) is not { Implicit: false } given) return absent;
        return given.Tokens.Count == 0 ? bare : given.Tokens[0].Value;
    }

    private static bool Given(ParseResult r, Option option) => r.GetResult(option) is { Implicit: false };

    private static Option<int> Int(string name, string description, int fallback, params string[] aliases) => new(name, aliases)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
    };
}
