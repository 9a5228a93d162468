using System.CommandLine;
using SyncModel.Implementation;
using SyncModel.Implementation.Format;

namespace SyncModel.Cli;

/// <summary>Parsing, exit codes and error reporting shared by every verb (docs/design.md: 0 ok, 1 violation/verification failed, 2 bad arguments or unreadable input).</summary>
public static class CliRun
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static int Invoke(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"syncmodel: {e.Message}");
            Console.Error.WriteLine("Run 'syncmodel --help' for usage.");
            return Usage;
        }
        return parse.Invoke();
    }

    /// <summary>Runs a verb's body and turns the exceptions users can cause into a message and an exit code.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or NotSupportedException)
        {
            return Fail(Usage, e.Message);
        }
        catch (MigrationFormatException e)
        {
            return Fail(Usage, $"unreadable migration file: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(Usage, e.Message);
        }
        catch (MigrationFailedException e)
        {
            return Fail(Failed, e.Message);
        }
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"syncmodel: {message}");
        return code;
    }
}
