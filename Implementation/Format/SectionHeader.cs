namespace SyncModel.Implementation.Format;

/// <summary>
/// A section header. START and FULL headers carry <paramref name="Idstr"/>, <paramref name="InstanceId"/> and
/// <paramref name="VersionId"/>; PART and END carry only the section id (then Idstr is null and the ids are 0).
/// The reader is left at the first byte of the section's payload.
/// </summary>
public sealed record SectionHeader(
    long Offset, SectionType Type, uint SectionId, string? Idstr, uint InstanceId, uint VersionId)
    : TopLevelItem(Offset);
