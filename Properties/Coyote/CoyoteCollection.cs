namespace SyncModel.Properties.Coyote;

/// <summary>Coyote engines run one at a time: the testing runtime and the harness's current-iteration monitor are per process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CoyoteCollection
{
    public const string Name = "Coyote";
}
