using DeviceAgent.Protocol;
using MockMdm.Actions;
using MockMdm.Enrollment;
using MockMdm.OmaDm;
using MockMdm.Store;

namespace MockMdm.Api;

/// <summary>/api/deviceManagement/managedDevices, shaped like Graph's (docs/api.md).</summary>
internal static class ManagedDevicesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/deviceManagement/managedDevices");
        devices.MapGet("", (IMdmStore store, DeviceActionService actions) =>
            Results.Json(new { value = store.Read(v => v.List<DeviceRecord>().Select(d => Render(v, d, actions)).ToList()) }));
        devices.MapGet("/{id}", (string id, IMdmStore store, DeviceActionService actions) =>
            store.Read(v => v.Find<DeviceRecord>(id) is { } d ? Results.Json(Render(v, d, actions)) : DeviceNotFound(id)));
        devices.MapGet("/{id}/deviceActionResults", (string id, IMdmStore store, DeviceActionService actions) =>
            store.Read(v => v.Find<DeviceRecord>(id) is null
                ? DeviceNotFound(id)
                : Results.Json(new { value = v.ListByOwner<DeviceActionRecord>(id).Select(a => RenderAction(a, actions)).ToList() })));
        devices.MapGet("/{id}/commands", (string id, IMdmStore store) =>
            store.Read(v => v.Find<DeviceRecord>(id) is null
                ? DeviceNotFound(id)
                : Results.Json(new { value = v.ListByOwner<CommandRecord>(id).Select(RenderCommand).ToList() })));
        devices.MapPost("/{id}/resetPasscode", async (string id, DeviceActionService actions, HttpContext context) =>
        {
            // Graph's resetPasscode has no body; MockMdm accepts {"method": "LockAndRecoverPIN" | "LockAndResetPIN"} to force the RemoteLock node.
            string? method = null;
            if (context.Request.ContentLength > 0 || (context.Request.ContentLength is null && context.Request.ContentType is not null))
            {
                var (body, error) = await ApiSupport.ReadObjectAsync(context.Request).ConfigureAwait(false);
                if (error is not null)
                {
                    return error;
                }

                var errors = new List<string>();
                method = ApiSupport.OptionalString(body, "method", errors);
                if (errors.Count > 0)
                {
                    return ApiSupport.BadRequest(string.Join("; ", errors));
                }
            }

            return Outcome(await actions.RequestResetPasscodeAsync(id, method, context.RequestAborted).ConfigureAwait(false), context);
        });
        devices.MapPost("/{id}/remoteLock", async (string id, DeviceActionService actions, HttpContext context) =>
            Outcome(await actions.RequestRemoteLockAsync(id, context.RequestAborted).ConfigureAwait(false), context));
    }

    public static IResult DeviceNotFound(string id) => ApiSupport.NotFound($"managed device '{id}' does not exist");

    private static IResult Outcome(ActionRequestResult result, HttpContext context)
    {
        if (result.Action is null)
        {
            return result.HttpStatus == 404
                ? ApiSupport.NotFound(result.Error!)
                : ApiSupport.Error(result.HttpStatus, "NotSupported", result.Error!);
        }

        // Graph answers 204 No Content (docs/reference/remotelock.md §4); the header lets a caller find its action again.
        context.Response.Headers["X-MockMdm-ActionId"] = result.Action.Id;
        return Results.NoContent();
    }

    public static object Render(IStoreView view, DeviceRecord d, DeviceActionService actions) => new Dictionary<string, object?>
    {
        ["@odata.type"] = "#microsoft.graph.managedDevice",
        ["id"] = d.Id,
        ["deviceName"] = d.DeviceName,
        ["userPrincipalName"] = d.UserPrincipalName,
        ["azureADTenantId"] = d.TenantId,
        ["operatingSystem"] = "Windows",
        ["osVersion"] = d.OsVersion,
        ["deviceType"] = d.DeviceType == DevicePlatform.WindowsPhone ? "windowsPhone" : "desktop",
        ["mdeDeviceType"] = d.DeviceType,
        ["managedDeviceOwnerType"] = d.Ownership == Ownership.Company ? "company" : "personal",
        ["joinType"] = d.JoinType == JoinType.AzureADJoined ? "azureADJoined" : "workplaceJoined",
        ["enrollmentType"] = d.EnrollmentType,
        ["enrolledDateTime"] = d.EnrolledDateTime,
        ["lastSyncDateTime"] = d.LastSyncDateTime,
        ["manufacturer"] = d.Manufacturer,
        ["model"] = d.Model,
        ["enrollmentDeviceId"] = d.EnrollmentDeviceId,
        ["devId"] = d.DevId,
        ["pushChannelUri"] = d.PushChannelUri,
        ["passcodeActionSupport"] = DevicePlatform.PasscodeRefusal(d) is { } why ? why : "supported: " + DeviceActionService.PasscodeMethod(d),
        ["inventory"] = d.Inventory,
        ["deviceActionResults"] = view.ListByOwner<DeviceActionRecord>(d.Id).Select(a => RenderAction(a, actions)).ToList(),
    };

    public static object RenderAction(DeviceActionRecord a, DeviceActionService actions) => new Dictionary<string, object?>
    {
        ["@odata.type"] = a.ActionName == DeviceActionService.ResetPasscode
            ? "#microsoft.graph.resetPasscodeActionResult"
            : "#microsoft.graph.deviceActionResult",
        ["id"] = a.Id,
        ["actionName"] = a.ActionName,
        ["actionState"] = a.State.ToString().Length > 0 ? char.ToLowerInvariant(a.State.ToString()[0]) + a.State.ToString()[1..] : "",
        ["startDateTime"] = a.StartDateTime,
        ["lastUpdatedDateTime"] = a.LastUpdatedDateTime,
        ["passcode"] = a.ActionName == DeviceActionService.ResetPasscode ? actions.VisiblePasscode(a) : null,
        ["passcodeVisibleUntil"] = a.ActionName == DeviceActionService.ResetPasscode && actions.VisiblePasscode(a) is not null ? a.PasscodeVisibleUntil : null,
        ["errorCode"] = a.ErrorCode ?? 0,
        ["method"] = a.Method,
        ["displayState"] = DeviceActionService.DisplayState(a),
        ["reason"] = a.Reason,
        ["errorDetailsUrl"] = a.ErrorCode is { } code ? ErrorHelpPages.LinkFor(code) : null,
    };

    private static object RenderCommand(CommandRecord c) => new Dictionary<string, object?>
    {
        ["id"] = c.Id,
        ["origin"] = c.Origin.Kind,
        ["originId"] = c.Origin.ReferenceId,
        ["state"] = c.State.ToString(),
        ["attempts"] = c.Attempts,
        ["createdDateTime"] = c.CreatedDateTime,
        ["completedDateTime"] = c.CompletedDateTime,
        ["syncml"] = c.SentXml ?? c.Xml,
        ["statuses"] = c.Statuses.Select(s => new { cmdRef = s.CmdRef, cmd = s.Cmd, code = s.Code, syncml = s.Xml }).ToList(),
        ["results"] = c.Results,
        ["replacedBy"] = c.ReplacedBy,
        ["failure"] = c.Failure,
    };
}
