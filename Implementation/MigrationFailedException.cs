namespace SyncModel.Implementation;

/// <summary>The migration failed; <see cref="Exception.InnerException"/> is the first error any thread hit.</summary>
public sealed class MigrationFailedException : Exception
{
    public MigrationFailedException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
