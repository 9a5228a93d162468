using SyncModel.Properties.Support;
using Xunit.Abstractions;

namespace SyncModel.Properties.Packaging;

/// <summary>
/// What a user installs is what the tests test: the syncmodel tool package (dotnet pack) is rewritten for Coyote, installs
/// into a tool path, explores and writes a report; the local tool manifest restores it; and a build made without the
/// rewrite refuses to explore (exit 2) instead of exploring nothing. Each builds the repository in a configuration of its
/// own, so nothing here touches the Debug output the other tests run from.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PackagingTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public void The_tool_package_installs_explores_and_writes_a_report()
    {
        var work = Directory.CreateTempSubdirectory("syncmodel-tool-").FullName;
        try
        {
            var packages = Path.Combine(work, "packages");
            var pack = Repository.Dotnet(Repository.Root, BuildTimeout, "pack", "Cli/Cli.csproj", "-c", "PackTest", "-o", packages);
            Assert.True(pack.ExitCode == 0, pack.ToString());
            var package = Assert.Single(Directory.GetFiles(packages, "SyncModel.Tool.*.nupkg"));
            output.WriteLine($"{Path.GetFileName(package)}: {new FileInfo(package).Length:N0} bytes");

            var tools = Path.Combine(work, "tools");
            var install = Repository.Dotnet(work, BuildTimeout, "tool", "install", "--tool-path", tools, "--add-source", packages, "SyncModel.Tool");
            Assert.True(install.ExitCode == 0, install.ToString());

            var reports = Path.Combine(work, "reports");
            var explore = Repository.Run(Path.Combine(tools, "syncmodel"), ["explore", "--policy", "fixed-ram-v4", "-F", "on", "--time", "5s", "--reports", reports], work, RunTimeout);

            Assert.True(explore.ExitCode == 1, explore.ToString());
            Assert.Contains("DrainBeforeCleanup", explore.Output, StringComparison.Ordinal);
            var report = Assert.Single(Directory.GetFiles(reports, "fixed-ram-v4-DrainBeforeCleanup-*.json"));
            Assert.True(File.Exists(Path.ChangeExtension(report, ".trace")));

            // The local manifest restores the same package: dotnet syncmodel runs from the checkout.
            File.Copy(Path.Combine(Repository.Root, ".config", "dotnet-tools.json"), Path.Combine(work, "dotnet-tools.json"));
            var restore = Repository.Dotnet(work, BuildTimeout, "tool", "restore", "--add-source", packages);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            var help = Repository.Dotnet(work, RunTimeout, "syncmodel", "--help");
            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.Contains("explore", help.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void An_unrewritten_build_refuses_to_explore_zoo_and_replay()
    {
        var work = Directory.CreateTempSubdirectory("syncmodel-unrewritten-").FullName;
        try
        {
            var bin = Path.Combine(work, "bin");
            var build = Repository.Dotnet(Repository.Root, BuildTimeout, "build", "Cli/Cli.csproj", "-c", "Unrewritten", "-p:SyncModelSkipRewrite=true", "-o", bin);
            Assert.True(build.ExitCode == 0, build.ToString());
            var dll = Path.Combine(bin, "syncmodel.dll");
            var report = Directory.GetFiles(Path.Combine(Repository.Root, "reports"), "*.trace").Select(t => Path.ChangeExtension(t, ".json")).First();

            foreach (var verb in new[] { new[] { "explore", "--policy", "fixed-ram-v4", "-F", "on", "--time", "2s", "--reports", work }, ["zoo", "--entry", "5.1", "--time", "2s", "--reports", work], ["replay", report] })
            {
                var run = Repository.Run("dotnet", [dll, .. verb], work, RunTimeout);
                Assert.True(run.ExitCode == 2, $"{verb[0]}: {run}");
                Assert.Contains("not rewritten for Coyote", run.Error, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

/// <summary>The packaging tests build the repository; two builds at once would fight over obj/.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingCollection
{
    public const string Name = "Packaging";
}
