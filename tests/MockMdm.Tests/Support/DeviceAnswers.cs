using System.Globalization;
using System.Text;
using DeviceAgent.SyncML;

namespace MockMdm.Tests.Support;

/// <summary>Builds a device's package 3 for a server message: SyncHdr status, one Status per command, Results per Get.</summary>
public static class DeviceAnswers
{
    /// <summary>
    /// Answers every command of <paramref name="serverMessage"/>: status from <paramref name="statusFor"/> (default 200) by
    /// the item's LocURI, and for a successful Get a Results with the value from <paramref name="valueFor"/>.
    /// </summary>
    public static string For(SyncMLMessage serverMessage, Func<string, string?>? valueFor = null, Func<string, int>? statusFor = null)
    {
        ArgumentNullException.ThrowIfNull(serverMessage);
        var msgRef = serverMessage.SyncHdr!.MsgID!;
        var cmdId = 1;
        var answers = new List<SyncMLCommand>
        {
            new Status { CmdID = Next(ref cmdId), MsgRef = msgRef, CmdRef = "0", Cmd = "SyncHdr", Data = "200" },
        };
        foreach (var command in serverMessage.SyncBody.Commands)
        {
            Answer(command, msgRef, answers, ref cmdId, valueFor ?? (_ => ""), statusFor ?? (_ => 200));
        }

        var text = new StringBuilder();
        foreach (var answer in answers)
        {
            text.Append(SyncMLWriter.ToXml(answer));
        }

        return text.ToString();
    }

    private static void Answer(SyncMLCommand command, string msgRef, List<SyncMLCommand> answers, ref int cmdId,
        Func<string, string?> valueFor, Func<string, int> statusFor)
    {
        if (command is Status or Results)
        {
            return;
        }

        var uri = command is ItemCommand items ? items.Items.FirstOrDefault()?.Target?.LocURI ?? "" : "";
        var code = command is ContainerCommand ? 200 : statusFor(uri);
        answers.Add(new Status
        {
            CmdID = Next(ref cmdId), MsgRef = msgRef, CmdRef = command.CmdID, Cmd = command.Name,
            Data = code.ToString(CultureInfo.InvariantCulture),
        });
        if (command is Get get && code == 200)
        {
            var results = new Results { CmdID = Next(ref cmdId), MsgRef = msgRef, CmdRef = command.CmdID };
            foreach (var item in get.Items)
            {
                results.Items.Add(new Item
                {
                    Source = new LocationElement(item.Target!.LocURI),
                    Meta = new Meta { Format = "chr" },
                    Data = new Data(valueFor(item.Target.LocURI) ?? ""),
                });
            }

            answers.Add(results);
        }

        if (command is ContainerCommand container)
        {
            foreach (var child in container.Commands)
            {
                Answer(child, msgRef, answers, ref cmdId, valueFor, statusFor);
            }
        }
    }

    private static string Next(ref int cmdId) => (cmdId++).ToString(CultureInfo.InvariantCulture);
}
