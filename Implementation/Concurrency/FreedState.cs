using SyncModel.Protocol.Events;

namespace SyncModel.Implementation.Concurrency;

/// <summary>
/// State a main thread frees on purpose when it cleans a channel up (QEMU's <c>multifd_*_cleanup_channel</c> destroys the
/// semaphores and frees the batch, chunk and packet): the Implementation keeps the objects but poisons them, and every
/// access checks the poison, as a sanitizer would. A touch after the free is reported to the observer as
/// <see cref="PropertyId.NoUseAfterFree"/> and fails the touching thread (QEMU would read freed memory there).
/// </summary>
internal sealed class FreedState(string owner)
{
    private int _freed;

    public bool IsFreed => Volatile.Read(ref _freed) != 0;

    /// <summary>Frees the state; from now on <see cref="Touch"/> fails.</summary>
    public void Free() => Volatile.Write(ref _freed, 1);

    /// <summary>Checks that the state is alive before <paramref name="what"/> is used.</summary>
    public void Touch(string what, ITraceObserver? observer)
    {
        if (!IsFreed) return;
        var message = $"{what} of {owner} is used after the channel was cleaned up and freed";
        observer?.ReportViolation(PropertyId.NoUseAfterFree, message);
        throw new ProtocolViolationException(PropertyId.NoUseAfterFree, message);
    }
}
