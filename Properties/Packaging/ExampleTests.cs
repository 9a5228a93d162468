using System.Text.RegularExpressions;
using SyncModel.Cli;
using SyncModel.Coyote.Exploration;
using SyncModel.Properties.Support;
using YamlDotNet.RepresentationModel;

namespace SyncModel.Properties.Packaging;

/// <summary>
/// The examples in <c>examples/</c> parse, and every syncmodel command line in them, with its placeholders filled in for
/// every shard, is one the tool accepts: real verbs, real flags, valid values; the shards cover 0..N-1 exactly once and
/// the merge reads every shard's folder.
/// </summary>
public sealed partial class ExampleTests
{
    private static YamlMappingNode Load(string name)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Repository.Root, "examples", name));
        yaml.Load(reader);
        return (YamlMappingNode)Assert.Single(yaml.Documents).RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path) node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        return node;
    }

    private static string[] Words(string commandLine) => commandLine.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Parses a syncmodel command line against the real command tree; fails with the parser's errors.</summary>
    private static void AssertAccepted(string[] args)
    {
        var parse = SyncModelCommand.Create().Parse(args);
        Assert.True(parse.Errors.Count == 0, $"syncmodel {string.Join(' ', args)}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        Assert.NotEqual("syncmodel", parse.CommandResult.Command.Name);
    }

    private static string ShardOf(string[] args) => args[Array.IndexOf(args, "--shard") + 1];

    [Fact]
    public void The_github_workflow_tests_explores_every_shard_and_merges_them_all()
    {
        var workflow = Load("github-actions.yml");
        var jobs = (YamlMappingNode)At(workflow, "jobs");
        Assert.Equal(["test", "explore", "merge"], jobs.Children.Keys.Select(k => k.ToString()));
        string Run(string job) => string.Join("\n", ((YamlSequenceNode)At(jobs, job, "steps")).Cast<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey(new YamlScalarNode("run"))).Select(s => At(s, "run").ToString()));

        Assert.Equal("dotnet test", Run("test"));
        var shards = ((YamlSequenceNode)At(jobs, "explore", "strategy", "matrix", "shard")).Select(n => n.ToString()).ToList();
        var explore = Run("explore");
        var prefix = "dotnet run --project Cli -c Release -- ";
        Assert.StartsWith(prefix, explore);
        foreach (var shard in shards)
        {
            var args = Words(explore[prefix.Length..].Replace("${{ matrix.shard }}", shard, StringComparison.Ordinal));
            AssertAccepted(args);
            Assert.Equal(new Shard(int.Parse(shard, System.Globalization.CultureInfo.InvariantCulture), shards.Count), Shard.Parse(ShardOf(args)));
        }
        var merge = Words(Run("merge")[prefix.Length..]);
        AssertAccepted(merge);
        Assert.Equal(shards.Select(s => $"shards/shard-{s}"), merge.Skip(1).TakeWhile(a => !a.StartsWith('-')));
    }

    [Fact]
    public void The_kubernetes_job_gives_each_index_its_shard()
    {
        var job = Load("kubernetes-indexed-job.yaml");
        Assert.Equal("Job", At(job, "kind").ToString());
        Assert.Equal("Indexed", At(job, "spec", "completionMode").ToString());
        var completions = int.Parse(At(job, "spec", "completions").ToString(), System.Globalization.CultureInfo.InvariantCulture);
        var container = (YamlMappingNode)((YamlSequenceNode)At(job, "spec", "template", "spec", "containers")).First();
        var script = ((YamlSequenceNode)At(container, "args")).Single().ToString();
        var command = SyncmodelCall().Match(script);
        Assert.True(command.Success, script);

        for (var index = 0; index < completions; index++)
        {
            var args = Words(command.Groups[1].Value.Replace("${JOB_COMPLETION_INDEX}", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            AssertAccepted(args);
            Assert.Equal(new Shard(index, completions), Shard.Parse(ShardOf(args)));
        }
    }

    [GeneratedRegex(@"/tools/syncmodel ([^\n&]+)")]
    private static partial Regex SyncmodelCall();
}
