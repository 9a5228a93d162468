namespace SyncModel.Implementation.Guest;

/// <summary>One guest write: a page of a block, and what goes into it.</summary>
public readonly record struct PageWrite(int Block, long Page, PageFill Fill)
{
    public override string ToString() => $"b{Block}:p{Page}={Fill}";
}
