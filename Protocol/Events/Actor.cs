namespace SyncModel.Protocol.Events;

/// <summary>Who did something: a thread kind and, for channels, the channel index.</summary>
public readonly record struct Actor(ActorKind Kind, int Index = 0)
{
    public static readonly Actor Migration = new(ActorKind.Migration);
    public static readonly Actor Guest = new(ActorKind.Guest);
    public static readonly Actor Destination = new(ActorKind.Destination);
    public static Actor Sender(int channel) => new(ActorKind.Sender, channel);
    public static Actor Receiver(int channel) => new(ActorKind.Receiver, channel);

    public override string ToString() => Kind switch
    {
        ActorKind.Migration => "main",
        ActorKind.Guest => "guest",
        ActorKind.Destination => "dest",
        ActorKind.Sender => $"send{Index}",
        ActorKind.Receiver => $"recv{Index}",
        _ => Kind.ToString(),
    };

    /// <summary>Parses what <see cref="ToString"/> prints.</summary>
    public static Actor Parse(string s) => s switch
    {
        "main" => Migration,
        "guest" => Guest,
        "dest" => Destination,
        _ when s.StartsWith("send", StringComparison.Ordinal) && int.TryParse(s.AsSpan(4), out var i) => Sender(i),
        _ when s.StartsWith("recv", StringComparison.Ordinal) && int.TryParse(s.AsSpan(4), out var j) => Receiver(j),
        _ => throw new FormatException($"unknown actor '{s}'"),
    };
}
