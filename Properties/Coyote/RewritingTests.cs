using Microsoft.Coyote.Rewriting;
using SyncModel.Coyote.Scenarios;
using SyncModel.Implementation.Save;

namespace SyncModel.Properties.Coyote;

/// <summary>Unrewritten code under the testing engine silently passes with 0 bugs: prove the build rewrote it.</summary>
public sealed class RewritingTests
{
    [Fact]
    public void The_implementation_the_harness_and_the_tests_are_rewritten()
    {
        Assert.True(RewritingEngine.IsAssemblyRewritten(typeof(Saver).Assembly), "SyncModel.Implementation is not rewritten");
        Assert.True(RewritingEngine.IsAssemblyRewritten(typeof(ScenarioRun).Assembly), "SyncModel.Coyote is not rewritten");
        Assert.True(RewritingEngine.IsAssemblyRewritten(typeof(RewritingTests).Assembly), "SyncModel.Properties is not rewritten");
    }
}
