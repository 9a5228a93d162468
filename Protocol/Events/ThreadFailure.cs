namespace SyncModel.Protocol.Events;

/// <summary>
/// A thread of a migration caught an exception and is failing: which thread, how the failure relates to injected faults,
/// and the exception itself as text (type, message, stack), so a report can show where it came from.
/// </summary>
/// <param name="Actor">The failing thread.</param>
/// <param name="Kind">Injected fault, transport consequence, protocol assertion, or crash.</param>
/// <param name="ExceptionType">The exception's full type name.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="StackTrace">Where it was thrown (the innermost exception's stack).</param>
/// <param name="Property">For an <see cref="FailureKind.Assertion"/>, the property the assertion guards.</param>
public sealed record ThreadFailure(Actor Actor, FailureKind Kind, string ExceptionType, string Message, string StackTrace, PropertyId? Property = null)
{
    /// <summary>"send1 threw System.NullReferenceException: Object reference not set ... \n   at ..." — for a report.</summary>
    public string Describe() => $"{Actor} threw {ExceptionType}: {Message}{(StackTrace.Length > 0 ? "\n" + StackTrace : "")}";
}
