namespace SyncModel.Protocol.Reports;

/// <summary>Files written whole or not at all: into a temporary name beside the target, then renamed over it.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var temp = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
