using DeviceAgent.SyncML;
using Results = DeviceAgent.SyncML.Results;
using StatusCodes = DeviceAgent.SyncML.StatusCodes;
using MockMdm.Enrollment;
using MockMdm.OmaDm;
using MockMdm.Store;

namespace MockMdm.Profiles;

/// <summary>
/// Delivers configurations to the devices their assignments target: one Add per OMA-URI setting (re-sent as Replace
/// on 418), a per-device status from the device's answers, and not applicable for devices of unsupported types.
/// </summary>
public sealed class ProfileService(CommandQueue queue, MockMdmOptions options) : ICommandCompletionHandler
{
    public string Kind => CommandOrigin.ProfileKind;

    /// <summary>Brings every targeted device's status up to the configuration's version; drops untargeted devices.</summary>
    public void Reconcile(IStoreTransaction tx, string configurationId)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var configuration = tx.Find<ConfigurationRecord>(configurationId);
        var existing = tx.ListByOwner<ProfileDeviceStatusRecord>(configurationId).ToDictionary(s => s.DeviceId);
        var targeted = configuration is null ? [] : Targets(tx, configurationId);
        foreach (var status in existing.Values.Where(s => !targeted.ContainsKey(s.DeviceId)))
        {
            tx.Delete<ProfileDeviceStatusRecord>(status.Id);
        }

        foreach (var (device, viaUserGroupOnly) in targeted.Values)
        {
            var status = existing.GetValueOrDefault(device.Id);
            if (status is not null && status.Version == configuration!.Version)
            {
                if (status.ViaUserGroup != viaUserGroupOnly)
                {
                    status.ViaUserGroup = viaUserGroupOnly;
                    tx.Put(status);
                }

                continue;
            }

            Deliver(tx, configuration!, device, viaUserGroupOnly);
        }
    }

    /// <summary>Reconciles every configuration (after enrollment or a group change).</summary>
    public void ReconcileAll(IStoreTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        foreach (var configuration in tx.List<ConfigurationRecord>())
        {
            Reconcile(tx, configuration.Id);
        }
    }

    public void OnCompleted(IStoreTransaction tx, DeviceRecord device, CommandRecord command)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(command);
        var reference = command.Origin.ReferenceId ?? "";
        var hash = reference.LastIndexOf('#');
        if (hash < 0 || tx.Find<ProfileDeviceStatusRecord>(reference[..hash]) is not { } status
            || reference[(hash + 1)..] != status.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return;
        }

        // A command answered 418 was replaced; its Replace stands for it.
        var commands = tx.ListByOwner<CommandRecord>(command.DeviceId)
            .Where(c => c.Origin.Kind == Kind && c.Origin.ReferenceId == reference && c.ReplacedBy is null)
            .ToList();
        if (commands.Any(c => c.State is not (CommandState.Completed or CommandState.Failed)))
        {
            return;
        }

        var failed = commands.FirstOrDefault(c => c.State == CommandState.Failed || c.TopLevelStatus != StatusCodes.Ok);
        status.State = failed is null ? ProfileDeviceState.Succeeded : ProfileDeviceState.Failed;
        status.DeviceStatusCode = failed?.TopLevelStatus;
        status.Reason = failed is null ? null
            : failed.Failure is { } failure ? $"a setting of this profile was given up: {failure}"
            : $"the device answered {failed.TopLevelStatus} to a setting of this profile";
        status.LastReportedDateTime = options.TimeProvider.GetUtcNow();
        tx.Put(status);
    }

    /// <summary>A setting's command given up counts as a failed setting once every command of the profile is finished.</summary>
    public void OnFailed(IStoreTransaction tx, DeviceRecord device, CommandRecord command) => OnCompleted(tx, device, command);

    private void Deliver(IStoreTransaction tx, ConfigurationRecord configuration, DeviceRecord device, bool viaUserGroupOnly)
    {
        var status = new ProfileDeviceStatusRecord
        {
            Id = $"{configuration.Id}:{device.Id}",
            ConfigurationId = configuration.Id,
            DeviceId = device.Id,
            Version = configuration.Version,
            ViaUserGroup = viaUserGroupOnly,
            LastReportedDateTime = options.TimeProvider.GetUtcNow(),
        };
        if (configuration.SupportedDeviceTypes.Count > 0 && !configuration.SupportedDeviceTypes.Contains(device.DeviceType))
        {
            status.State = ProfileDeviceState.NotApplicable;
            status.Reason = $"the profile applies to {string.Join(", ", configuration.SupportedDeviceTypes)}; this device is {device.DeviceType}";
            tx.Put(status);
            return;
        }

        status.State = configuration.OmaSettings.Count == 0 ? ProfileDeviceState.Succeeded : ProfileDeviceState.Pending;
        var origin = new CommandOrigin(Kind, $"{status.Id}#{configuration.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        foreach (var setting in configuration.OmaSettings)
        {
            var add = new Add();
            add.Items.Add(CommandQueue.TargetItem(setting.OmaUri, OmaUriRules.Format(setting.DataType), setting.Value));
            queue.Enqueue(tx, device.Id, add, origin);
        }

        tx.Put(status);
    }

    /// <summary>The devices the configuration's assignments target, each with whether only a user group reaches it.</summary>
    private static Dictionary<string, (DeviceRecord Device, bool ViaUserGroupOnly)> Targets(IStoreView view, string configurationId)
    {
        var devices = view.List<DeviceRecord>();
        var result = new Dictionary<string, (DeviceRecord, bool)>(StringComparer.Ordinal);
        void Add(DeviceRecord device, bool viaUser)
        {
            if (result.TryGetValue(device.Id, out var known))
            {
                result[device.Id] = (device, known.Item2 && viaUser);
            }
            else
            {
                result[device.Id] = (device, viaUser);
            }
        }

        foreach (var assignment in view.ListByOwner<AssignmentRecord>(configurationId))
        {
            switch (assignment.Kind)
            {
                case AssignmentTargetKind.AllDevices:
                    devices.ToList().ForEach(d => Add(d, false));
                    break;
                case AssignmentTargetKind.AllLicensedUsers:
                    devices.ToList().ForEach(d => Add(d, true));
                    break;
                case AssignmentTargetKind.Group when assignment.GroupId is not null && view.Find<GroupRecord>(assignment.GroupId) is { } group:
                    var members = new HashSet<string>(group.Members, StringComparer.OrdinalIgnoreCase);
                    foreach (var device in devices.Where(d => members.Contains(group.Kind == GroupKind.User ? d.UserPrincipalName : d.Id)))
                    {
                        Add(device, group.Kind == GroupKind.User);
                    }

                    break;
            }
        }

        return result;
    }
}
