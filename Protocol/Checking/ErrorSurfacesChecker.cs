using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>ErrorSurfaces: when a channel failed, the run must end in failure, not report success.</summary>
public sealed class ErrorSurfacesChecker : StreamChecker
{
    private TraceEvent? _firstError;

    public override PropertyId Property => PropertyId.ErrorSurfaces;

    public override string? Step(in TraceEvent e)
    {
        if (e.Kind == EventKind.Exit && e.Error is not null) _firstError ??= e;
        return null;
    }

    public override string? AtEnd(bool failed)
        => failed || _firstError is not { } e ? null : $"{e.Actor} failed with \"{e.Error}\" but the migration reported success";
}
