using System.CommandLine;
using SyncModel.Cli;
using SyncModel.Cli.Commands;

namespace SyncModel.Properties.Cli;

/// <summary><c>syncmodel bench --suite hostile</c>: its flags and exit codes (the counts are covered by HostileInputTests).</summary>
public sealed class BenchCommandTests
{
    private static int Run(string commandLine) => CliRun.Invoke(new RootCommand { BenchCommand.Create() }, commandLine.Split(' '));

    [Fact]
    public void A_small_hostile_campaign_exits_0_when_nothing_crashed_or_hung()
    {
        Assert.Equal(CliRun.Ok, Run("bench --suite hostile --count 20 --seed 5 --input-timeout 30s"));
    }

    [Theory]
    [InlineData("bench --suite fuzz")]
    [InlineData("bench --suite hostile --count 0")]
    [InlineData("bench --suite hostile --count 5 --vectors /no/such/folder")]
    [InlineData("bench --suite hostile --count 5 --input-timeout soon")]
    public void Bad_arguments_exit_2(string commandLine)
    {
        Assert.Equal(CliRun.Usage, Run(commandLine));
    }
}
