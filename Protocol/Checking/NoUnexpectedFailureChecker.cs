using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// NoUnexpectedFailure: a run fails only because of the fault it injected. Any thread failing with a crash (an exception
/// that is neither an injected IO fault, nor a transport error, nor a protocol assertion) is a violation at once; a
/// transport error (IO error, end of stream, malformed stream) is one unless a fault was injected before it, since only
/// an injected fault can make the peer or the file go away; a migration that fails with no failure announced at all is
/// one at the end. Protocol assertions are the property they guard (<see cref="TraceMonitor.Failed"/>).
/// </summary>
public sealed class NoUnexpectedFailureChecker : StreamChecker
{
    private bool _injected;
    private bool _seen;

    public override PropertyId Property => PropertyId.NoUnexpectedFailure;

    public override string? Step(in TraceEvent e) => null;

    public override string? OnFailure(ThreadFailure failure)
    {
        _seen = true;
        switch (failure.Kind)
        {
            case FailureKind.Injected:
                _injected = true;
                return null;
            case FailureKind.Transport when _injected:
            case FailureKind.Assertion:
                return null;
            case FailureKind.Transport:
                return $"{failure.Actor} failed with {failure.ExceptionType} \"{failure.Message}\" although no fault was injected";
            default:
                return $"{failure.Actor} crashed with {failure.ExceptionType} \"{failure.Message}\"";
        }
    }

    public override string? AtEnd(bool failed)
        => failed && !_seen ? "the migration failed, but no thread announced a failure and no fault was injected" : null;
}
