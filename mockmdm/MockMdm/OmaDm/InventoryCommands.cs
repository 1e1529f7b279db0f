using DeviceAgent.SyncML;
using Results = DeviceAgent.SyncML.Results;
using StatusCodes = DeviceAgent.SyncML.StatusCodes;
using MockMdm.Enrollment;
using MockMdm.Store;

namespace MockMdm.OmaDm;

/// <summary>
/// Inventory and push registration: after enrollment the server asks for DevDetail and sets DMClient Push/PFN so the
/// device reports a channel URI; the answers update the device record (docs/reference/omadm.md §4 package 0, 6.2).
/// </summary>
public sealed class InventoryCommands(CommandQueue queue, MockMdmOptions options) : ICommandCompletionHandler
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
        foreach (var xml in command.Results)
        {
            if (SyncMLWire.ReadCommand(xml) is not Results results)
            {
                continue;
            }

            foreach (var item in results.Items)
            {
                var uri = item.Source?.LocURI ?? results.TargetRef ?? "";
                var value = item.Data?.Value ?? "";
                if (uri.Length == 0)
                {
                    continue;
                }

                device.Inventory[uri] = value;
                Apply(device, uri, value);
            }
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
                if (uri == PushRoot + "/ChannelURI" && Uri.TryCreate(value, UriKind.Absolute, out _))
                {
                    device.PushChannelUri = value;
                }

                break;
        }
    }
}
