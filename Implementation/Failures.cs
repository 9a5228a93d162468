using SyncModel.Implementation.Format;
using SyncModel.Implementation.IO;
using SyncModel.Protocol.Events;

namespace SyncModel.Implementation;

/// <summary>How the Implementation's threads announce a failure (<see cref="ITraceObserver.Failed"/>): the exception that
/// ended the thread, unwrapped to its cause and classified against the faults a run can inject.</summary>
internal static class Failures
{
    /// <summary>Announces that <paramref name="actor"/> fails with <paramref name="error"/>; call it first in the handler.</summary>
    public static void Announce(ITraceObserver? observer, Actor actor, Exception error) => observer?.Failed(Describe(actor, error));

    public static ThreadFailure Describe(Actor actor, Exception error)
    {
        var cause = Cause(error);
        var kind = cause switch
        {
            InjectedFaultException => FailureKind.Injected,
            ProtocolViolationException => FailureKind.Assertion,
            IOException or MigrationFormatException => FailureKind.Transport,
            _ => FailureKind.Crash,
        };
        return new ThreadFailure(actor, kind, cause.GetType().FullName ?? cause.GetType().Name, cause.Message,
            cause.StackTrace ?? "", (cause as ProtocolViolationException)?.Property);
    }

    /// <summary>Every error a failure carries: behind each <see cref="MigrationFailedException"/> its cause, and each side of an
    /// <see cref="AggregateException"/> (a socket migration in which both ends failed).</summary>
    public static IEnumerable<Exception> Causes(Exception error)
    {
        var cause = Cause(error);
        if (cause is AggregateException all)
        {
            foreach (var inner in all.InnerExceptions)
            {
                foreach (var c in Causes(inner)) yield return c;
            }
        }
        else
        {
            yield return cause;
        }
    }

    /// <summary>The first error behind a <see cref="MigrationFailedException"/> (which only carries a thread's error to the caller).</summary>
    public static Exception Cause(Exception error)
    {
        var e = error;
        for (var depth = 0; depth < 8 && e is MigrationFailedException { InnerException: { } inner }; depth++) e = inner;
        return e;
    }
}
