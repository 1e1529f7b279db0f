using System.Globalization;
using System.Net;
using System.Text;
using DeviceAgent.SyncML;
using Results = Microsoft.AspNetCore.Http.Results;
using StatusCodes = DeviceAgent.SyncML.StatusCodes;

namespace MockMdm.Actions;

/// <summary>GET /help/errors/{code}: plain HTML explaining an action's errorCode, linked from failed actions.</summary>
internal static class ErrorHelpPages
{
    public const string PathPrefix = "/help/errors/";

    public static void Map(WebApplication app) =>
        app.MapGet(PathPrefix + "{code}", (string code) => Page(code));

    /// <summary>The link for an error code, as failed actions carry it.</summary>
    public static string LinkFor(int errorCode) => PathPrefix + "0x" + errorCode.ToString("X8", CultureInfo.InvariantCulture);

    private static IResult Page(string code)
    {
        if (!TryParse(code, out var value))
        {
            return Html(404, "Unknown error code", $"<p>'{WebUtility.HtmlEncode(code)}' is not an error code (write it as 0x87D101F4 or as a decimal number).</p>");
        }

        var hex = "0x" + value.ToString("X8", CultureInfo.InvariantCulture);
        if (value == DeviceActionService.RemediationFailed)
        {
            return Html(200, hex + ": empty NewPINValue",
                """
                <p>The device ran the lock command and answered the <code>Get ./Vendor/MSFT/RemoteLock/NewPINValue</code> with
                status 200 but an empty value: it holds no new PIN. Intune reports this with its generic code 0x87D1FDE8.</p>
                <p>NewPINValue can be read once after a successful LockAndResetPIN or LockAndRecoverPIN; a second read returns
                nothing. Request the action again to generate a new passcode.</p>
                """);
        }

        if ((value & unchecked((int)0xFFFF0000)) != DeviceActionService.SyncMLErrorBase)
        {
            return Html(404, hex, $"<p>{hex} is not a code this server reports. Codes 0x87D1xxxx are 0x87D10000 plus the SyncML status the device returned.</p>");
        }

        var status = value - DeviceActionService.SyncMLErrorBase;
        var meaning = StatusCodes.Describe(status) ?? "a status Windows does not normally use";
        var detail = status switch
        {
            StatusCodes.CommandFailed =>
                """
                <p>The device could not complete the command. For a passcode action the most common cause is the PIN policy:
                the Microsoft PIN reset service produces a <strong>6-character</strong> PIN, and a device whose PassportForWork
                PINComplexity policy sets <code>MinimumPINLength</code> to 7 or more rejects it (an
                <em>InvalidPinTooFewCharacters</em>-style failure). The old PIN then stays in force.</p>
                <p>Fix: lower MinimumPINLength to 6 or less for the affected users, or use LockAndResetPIN (destructive reset),
                whose PIN the device generates to fit its own policy.</p>
                <p>Other causes: LockAndRecoverPIN without EnablePinRecovery set on the device, or the tenant has not consented
                both PIN reset applications (Microsoft Pin Reset Service Production and Microsoft Pin Reset Client Production).</p>
                """,
            StatusCodes.CommandNotAllowed =>
                "<p>The device refused the command. RemoteLock Lock answers 405 when the device has no PIN to lock with.</p>",
            StatusCodes.NotFound =>
                "<p>The node does not exist on the device. LockAndRecoverPIN exists only from Windows 10 Mobile 1703 (build 15063) on.</p>",
            StatusCodes.BadRequest =>
                "<p>The device found the command malformed.</p>",
            _ => "",
        };
        return Html(200, $"{hex}: SyncML status {status.ToString(CultureInfo.InvariantCulture)} ({meaning})",
            $"<p>The device answered SyncML status {status.ToString(CultureInfo.InvariantCulture)}: {WebUtility.HtmlEncode(meaning)}. " +
            $"Intune reports device-side SyncML failures as 0x87D10000 + status.</p>{detail}");
    }

    private static bool TryParse(string text, out int value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var ok = uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unsigned);
            value = unchecked((int)unsigned);
            return ok && text.Length <= 10;
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static IResult Html(int status, string title, string body)
    {
        var html = $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head>\n" +
                   $"<body><h1>{WebUtility.HtmlEncode(title)}</h1>\n{body}\n</body></html>\n";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
