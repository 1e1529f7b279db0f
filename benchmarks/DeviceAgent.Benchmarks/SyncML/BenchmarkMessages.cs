using System.Globalization;
using DeviceAgent.SyncML;

namespace DeviceAgent.Benchmarks.SyncML;

/// <summary>Realistic server packages: the PassportForWork / RemoteLock traffic of a PIN reset session (docs/reference/omadm.md §13, docs/reference/passportforwork.md, docs/reference/remotelock.md).</summary>
internal static class BenchmarkMessages
{
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string Policies = "./Device/Vendor/MSFT/PassportForWork/" + Tenant + "/Policies/";

    /// <summary>About 2 KB: Status for the device's package 1, a Get, policy Replace/Add, an Atomic and the RemoteLock Sequence.</summary>
    public static SyncMLMessage Package10()
    {
        SyncMLMessage m = Header();
        List<SyncMLCommand> c = m.SyncBody.Commands;
        c.Add(Status("1", "0", "SyncHdr"));
        c.Add(Status("2", "1", "Alert"));
        c.Add(Status("3", "2", "Alert"));
        c.Add(Status("4", "3", "Replace"));
        c.Add(Get("5", "./DevDetail/SwV"));
        c.Add(Set(new Replace(), "6", Policies + "UsePassportForWork", "bool", "true"));
        c.Add(Set(new Replace(), "7", Policies + "PINComplexity/MinimumPINLength", "int", "6"));
        c.Add(Set(new Add(), "8", Policies + "EnablePinRecovery", "bool", "true"));
        var atomic = new Atomic { CmdID = "9" };
        atomic.Commands.Add(Set(new Replace(), "10", Policies + "PINComplexity/Digits", "int", "1"));
        atomic.Commands.Add(Set(new Replace(), "11", Policies + "PINComplexity/Expiration", "int", "0"));
        c.Add(atomic);
        var sequence = new Sequence { CmdID = "12" };
        var exec = new Exec { CmdID = "13" };
        exec.Items.Add(new Item { Target = new LocationElement("./Vendor/MSFT/RemoteLock/LockAndResetPIN") });
        sequence.Commands.Add(exec);
        sequence.Commands.Add(Get("14", "./Vendor/MSFT/RemoteLock/NewPINValue"));
        c.Add(sequence);
        m.SyncBody.Final = true;
        return m;
    }

    /// <summary>200 commands of the same kinds, plus CDATA and entity-escaped XML payloads.</summary>
    public static SyncMLMessage Package200()
    {
        SyncMLMessage m = Header();
        List<SyncMLCommand> c = m.SyncBody.Commands;
        for (int i = 0; i < 200; i++)
        {
            string id = (i + 1).ToString(CultureInfo.InvariantCulture);
            c.Add((i % 5) switch
            {
                0 => Status(id, i.ToString(CultureInfo.InvariantCulture), i == 0 ? "SyncHdr" : "Replace"),
                1 => Get(id, $"./Device/Vendor/MSFT/Policy/Result/Area{i}/Setting"),
                2 => Set(new Replace(), id, Policies + $"PINComplexity/Setting{i}", "int", i.ToString(CultureInfo.InvariantCulture)),
                3 => Payload(new Add(), id, $"./Device/Vendor/MSFT/Policy/Config/ADMX_{i}/Policy", new Data("<enabled/><data id=\"Setting\" value=\"1 &amp; 2\"/>", DataForm.CData)),
                _ => Payload(new Exec(), id, $"./Device/Vendor/MSFT/EnterpriseDesktopAppManagement/MSI/%7B{i:D8}-0000-0000-0000-000000000000%7D/DownloadInstall",
                    new Data("<MsiInstallJob id=\"{1}\"><Product Version=\"1.0\"><Download><ContentURLList><ContentURL>https://dp.example/a.msi</ContentURL></ContentURLList></Download></Product></MsiInstallJob>")),
            });
        }

        m.SyncBody.Final = true;
        return m;
    }

    private static SyncMLMessage Header() => new()
    {
        SyncHdr = new SyncHdr
        {
            SessionID = "1A", MsgID = "1",
            Target = new LocationElement("B5B954E81FBCB94EB79BD08BE625F4EE"),
            Source = new LocationElement("https://mdm.contoso.example/ManagementServer/MDM.svc"),
        },
    };

    private static Status Status(string cmdId, string cmdRef, string cmd) =>
        new() { CmdID = cmdId, MsgRef = "1", CmdRef = cmdRef, Cmd = cmd, Data = "200" };

    private static Get Get(string cmdId, string uri)
    {
        var get = new Get { CmdID = cmdId };
        get.Items.Add(new Item { Target = new LocationElement(uri) });
        return get;
    }

    private static ItemCommand Set(ItemCommand command, string cmdId, string uri, string format, string value)
    {
        command.CmdID = cmdId;
        command.Items.Add(new Item { Target = new LocationElement(uri), Meta = new Meta { Format = format, Type = "text/plain" }, Data = value });
        return command;
    }

    private static ItemCommand Payload(ItemCommand command, string cmdId, string uri, Data data)
    {
        command.CmdID = cmdId;
        command.Items.Add(new Item { Target = new LocationElement(uri), Meta = new Meta { Format = "xml", Type = "text/plain" }, Data = data });
        return command;
    }
}
