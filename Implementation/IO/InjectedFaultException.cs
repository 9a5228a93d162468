namespace SyncModel.Implementation.IO;

/// <summary>
/// An IO call failed because a fault plan said so (an EIO on purpose, below the positional IO or socket calls). It is an
/// <see cref="IOException"/> like the real thing, so the production code handles it as it would handle a disk or network
/// error; checkers tell it from any other failure by its type.
/// </summary>
public sealed class InjectedFaultException(string message) : IOException(message);
