using System.Runtime.InteropServices;

namespace SyncModel.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the long verbs (<c>explore</c>, <c>zoo</c>, <c>check</c>): instead of killing the process,
/// the signal cancels <see cref="Token"/>; the verb finishes the iteration or level in progress, prints what was done with
/// an "incomplete" verdict and exits with <see cref="ExitCode"/> (128 + SIGINT, the shell's convention). A second
/// signal is left to the runtime's default (the process ends at once).
/// </summary>
public sealed class Interrupt : IDisposable
{
    /// <summary>The exit code of an interrupted verb.</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;

    public Interrupt()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => _cts.Token;

    public bool Requested => _cts.IsCancellationRequested;

    private void Handle(PosixSignalContext context)
    {
        if (_cts.IsCancellationRequested) return;
        context.Cancel = true;
        Console.Error.WriteLine("syncmodel: interrupted; finishing the iteration (explore, zoo) or stopping the search (check) in progress (interrupt again to stop at once)");
        _cts.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}
