namespace SyncModel.Cli.Commands;

/// <summary>Turns the first Ctrl+C into a cancellation the search polls (it stops at once and reports what it had);
/// a second Ctrl+C ends the process as usual.</summary>
internal sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource _cts = new();

    public Interrupt() => Console.CancelKeyPress += OnCancel;

    public CancellationToken Token => _cts.Token;

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (_cts.IsCancellationRequested) return;
        e.Cancel = true;
        _cts.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancel;
        _cts.Dispose();
    }
}
