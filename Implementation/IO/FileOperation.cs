namespace SyncModel.Implementation.IO;

/// <summary>A positional IO call a channel makes.</summary>
public enum FileOperation
{
    Read,
    Write,
}
