namespace SyncModel.Implementation.Guest;

/// <summary>Where two RAM images first differ.</summary>
public sealed record PageDifference(string Block, long Page, string What)
{
    public override string ToString() => $"block '{Block}' page {Page}: {What}";
}
