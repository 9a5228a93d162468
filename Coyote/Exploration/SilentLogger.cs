using Microsoft.Coyote.Logging;

namespace SyncModel.Coyote.Exploration;

/// <summary>
/// Coyote's engine logs its iterations to the console whatever the verbosity; each engine gets this logger instead,
/// so nothing reaches stdout and engines running side by side need not touch the process-wide console.
/// </summary>
internal sealed class SilentLogger : ILogger
{
    public void Write(string value)
    {
    }

    public void Write(string format, object arg0)
    {
    }

    public void Write(string format, object arg0, object arg1)
    {
    }

    public void Write(string format, object arg0, object arg1, object arg2)
    {
    }

    public void Write(string format, params object[] args)
    {
    }

    public void Write(LogSeverity severity, string value)
    {
    }

    public void Write(LogSeverity severity, string format, object arg0)
    {
    }

    public void Write(LogSeverity severity, string format, object arg0, object arg1)
    {
    }

    public void Write(LogSeverity severity, string format, object arg0, object arg1, object arg2)
    {
    }

    public void Write(LogSeverity severity, string format, params object[] args)
    {
    }

    public void WriteLine(string value)
    {
    }

    public void WriteLine(string format, object arg0)
    {
    }

    public void WriteLine(string format, object arg0, object arg1)
    {
    }

    public void WriteLine(string format, object arg0, object arg1, object arg2)
    {
    }

    public void WriteLine(string format, params object[] args)
    {
    }

    public void WriteLine(LogSeverity severity, string value)
    {
    }

    public void WriteLine(LogSeverity severity, string format, object arg0)
    {
    }

    public void WriteLine(LogSeverity severity, string format, object arg0, object arg1)
    {
    }

    public void WriteLine(LogSeverity severity, string format, object arg0, object arg1, object arg2)
    {
    }

    public void WriteLine(LogSeverity severity, string format, params object[] args)
    {
    }

    public void Dispose()
    {
    }
}
