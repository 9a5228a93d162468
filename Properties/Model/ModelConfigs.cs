using SyncModel.Model;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Model;

/// <summary>Small configurations the model tests share: each closes in well under a second.</summary>
internal static class ModelConfigs
{
    public static ModelCheckOptions Small(SyncPolicy policy, bool f = false, ErrorSides errors = ErrorSides.None,
        int channels = 2, int pages = 2, int rounds = 2) => new()
    {
        Policy = policy,
        FlushSetting = f ? FlushSetting.On : FlushSetting.Off,
        Errors = errors,
        Channels = channels,
        Pages = pages,
        Rounds = rounds,
    };

    /// <summary>The file-mode presets: the model follows every error path of each, the fixes' too.</summary>
    public static IEnumerable<SyncPolicy> FilePolicies => SyncPolicies.FileMode;
}
