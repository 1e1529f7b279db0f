namespace DeviceAgent.Protocol;

/// <summary>
/// One event of a device's NGC event log as it leaves the device (docs/ngc.md "Event log"): what the admin console of
/// the mock server shows for an emulated device hosted in its process. Operation and outcome are carried by name so
/// the server needs none of the device's NGC types.
/// </summary>
/// <param name="Time">When the operation ended.</param>
/// <param name="Source">The emitting component (e.g. Microsoft.Windows.Security.NGC.KspSvc).</param>
/// <param name="Operation">What was attempted (e.g. VerifyPin).</param>
/// <param name="Outcome">Its result (e.g. InvalidPinTooFewCharacters).</param>
/// <param name="UserId">Whose container.</param>
/// <param name="Detail">Extra context such as a key name or a tenant; null when none.</param>
/// <param name="Line">The event as the device prints it, one line.</param>
public sealed record NgcEventLogEntry(DateTimeOffset Time, string Source, string Operation, string Outcome, string UserId, string? Detail, string Line);
