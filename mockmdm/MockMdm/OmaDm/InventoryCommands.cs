using DeviceAgent.SyncML;
using Results = DeviceAgent.SyncML.Results;
using StatusCodes = DeviceAgent.SyncML.StatusCodes;
using MockMdm.Enrollment;
using MockMdm.Store;
using MockMdm.Observability;

namespace MockMdm.OmaDm;

/// <summary>
/// Inventory and push registration: after enrollment the server asks for DevDetail and sets DMClient Push/PFN so the
/// device reports a channel URI; the answers update the device record (docs/reference/omadm.md §4 package 0, 6.2).
/// </summary>
public sealed class InventoryCommands(CommandQueue queue, MockMdmOptions options, PushChannelPolicy pushChannels, ILogger<InventoryCommands> logger)
    : ICommandCompletionHandler
{
    /// <summary>The DevDetail leaves asked for after enrollment (all exist in the 1703 DDF).</summary>
    public static readonly IReadOnlyList<string> DevDetailUris =
    [
        "./DevDetail/SwV",
        "./DevDetail/OEM",
        "./DevDetail/DevTyp",
        "./DevDetail/FwV",
        "./DevDetail/HwV",
        "./DevDetail/Ext/Microsoft/OSPlatform",
        "./DevDetail/Ext/Microsoft/DeviceName",
    ];

    public string Kind => CommandOrigin.InventoryKind;

    private string PushRoot => $"./Vendor/MSFT/DMClient/Provider/{options.ProviderId}/Push";

    /// <summary>The LocURI through which a device reports its push channel (Replace or Results).</summary>
    public string ChannelUriPath => PushRoot + "/ChannelURI";

    /// <summary>
    /// Null when the device's inventory may take <paramref name="changes"/> (all of them), else why not: the number of
    /// distinct keys and their total UTF-8 size (keys and values) are bounded per device by MaxInventoryKeys and
    /// MaxInventoryBytes, so one device cannot grow its record, the device list and the server's memory without limit.
    /// </summary>
    public string? BoundRefusal(DeviceRecord device, IReadOnlyList<(string Uri, string Value)> changes)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(changes);
        var after = new Dictionary<string, string>(device.Inventory, StringComparer.Ordinal);
        foreach (var (uri, value) in changes)
        {
            after[uri] = value;
        }

        if (after.Count > options.MaxInventoryKeys)
        {
            return $"the device's inventory would hold {after.Count} keys; at most {options.MaxInventoryKeys} are kept per device";
        }

        long bytes = 0;
        foreach (var (uri, value) in after)
        {
            bytes += System.Text.Encoding.UTF8.GetByteCount(uri) + System.Text.Encoding.UTF8.GetByteCount(value);
        }

        return bytes > options.MaxInventoryBytes
            ? $"the device's inventory would hold {bytes} bytes; at most {options.MaxInventoryBytes} are kept per device"
            : null;
    }

    /// <summary>Queues the inventory Get and the push registration for a newly enrolled device.</summary>
    public void EnqueueAfterEnrollment(IStoreTransaction tx, DeviceRecord device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var get = new Get();
        get.Items.AddRange(DevDetailUris.Select(uri => CommandQueue.TargetItem(uri)));
        queue.Enqueue(tx, device.Id, get, new CommandOrigin(Kind, "DevDetail"));

        var register = new Sequence();
        var pfn = new Replace();
        pfn.Items.Add(CommandQueue.TargetItem(PushRoot + "/PFN", "chr", options.PushPackageFamilyName));
        var channel = new Get();
        channel.Items.Add(CommandQueue.TargetItem(PushRoot + "/ChannelURI"));
        register.Commands.Add(pfn);
        register.Commands.Add(channel);
        queue.Enqueue(tx, device.Id, register, new CommandOrigin(Kind, "Push"));
    }

    public void OnCompleted(IStoreTransaction tx, DeviceRecord device, CommandRecord command)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(command);
        var changes = new List<(string Uri, string Value)>();
        foreach (var xml in command.Results)
        {
            if (SyncMLWire.ReadCommand(xml) is not Results results)
            {
                continue;
            }

            foreach (var item in results.Items)
            {
                var uri = item.Source?.LocURI ?? results.TargetRef ?? "";
                if (uri.Length > 0)
                {
                    changes.Add((uri, item.Data?.Value ?? ""));
                }
            }
        }

        // All or nothing: answers past the bound are not half-recorded (the command itself completes either way).
        if (BoundRefusal(device, changes) is { } refusal)
        {
            logger.InventoryNotRecorded(device.Id, refusal);
            return;
        }

        foreach (var (uri, value) in changes)
        {
            device.Inventory[uri] = value;
            Apply(device, uri, value);
        }

        tx.Put(device);
    }

    /// <summary>Copies the values that have their own fields (DevInfo from package 1, DevDetail from Results).</summary>
    public void Apply(DeviceRecord device, string uri, string value)
    {
        ArgumentNullException.ThrowIfNull(device);
        switch (uri)
        {
            case "./DevInfo/Man": device.Manufacturer = value; break;
            case "./DevInfo/Mod": device.Model = value; break;
            case "./DevInfo/Lang": device.Language = value; break;
            case "./DevInfo/DmV": device.DmVersion = value; break;
            case "./Vendor/MSFT/DMClient/HWDevID": device.HwDevId = value; break;
            case "./DevDetail/Ext/Microsoft/DeviceName" when value.Length > 0: device.DeviceName = value; break;
            case "./DevDetail/SwV" when DevicePlatform.BuildOf(value) is not null: device.OsVersion = value; break;
            default:
                if (uri == ChannelUriPath)
                {
                    // A channel outside the configured notification service is never recorded, so never contacted.
                    // A Replace carrying one was refused before (DmSessionProcessor); a Results answer cannot be
                    // refused, so the device simply has no channel the server pushes to.
                    var refusal = pushChannels.Refusal(value);
                    if (refusal is not null)
                    {
                        logger.PushChannelNotRecorded(device.Id, refusal);
                    }

                    device.PushChannelUri = refusal is null ? value : null;
                }

                break;
        }
    }
}
