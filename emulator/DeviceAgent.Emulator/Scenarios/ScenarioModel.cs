using DeviceAgent.Dm;
using DeviceAgent.Protocol;
using MockMdm.PinReset;
namespace DeviceAgent.Emulator.Scenarios;

/// <summary>A parsed scenario file: a name, a seed and ordered steps (format in docs/scenarios.md).</summary>
public sealed record Scenario(string Name, string? Description, int Seed, IReadOnlyList<ScenarioStep> Steps, string SourcePath);

/// <summary>Where a step was written, for error messages and reports.</summary>
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>One step of a scenario: an action on the server or a device, or an expectation.</summary>
public abstract record ScenarioStep
{
    /// <summary>The step's key as written in YAML (create-tenant, expect-action ...).</summary>
    public abstract string Kind { get; }

    public SourcePosition Position { get; init; }

    /// <summary>A one-line description for progress output and the JUnit testcase name.</summary>
    public abstract string Describe();
}

/// <summary>Intune custom OMA-URI data types the scenarios use (Boolean maps to SyncML Format bool, docs/reference/passportforwork.md §5).</summary>
public enum OmaSettingType
{
    Boolean,
    Integer,
    String,
}

/// <summary>Device actions an admin requests from the console (docs/reference/remotelock.md §4).</summary>
public enum DeviceActionKind
{
    /// <summary>The 2018 portal's "New passcode" button (Graph resetPasscode).</summary>
    NewPasscode,

    /// <summary>The 2020+ portal's "Reset passcode" button (Graph resetPasscode).</summary>
    ResetPasscode,

    /// <summary>Remote lock (Graph remoteLock).</summary>
    Lock,
}

/// <summary>The RemoteLock node an admin may force instead of letting the server choose by join type.</summary>
public enum PinResetMethod
{
    /// <summary>The server chooses (docs/reference/remotelock.md §4 suggested mapping).</summary>
    Auto,
    LockAndRecoverPIN,
    LockAndResetPIN,
}

/// <summary>Per-device configuration state of an assigned profile.</summary>
public enum ProfileState
{
    Pending,
    Succeeded,
    Error,
    NotApplicable,
}

/// <summary>PIN complexity a device is set up with before enrollment (PassportForWork PINComplexity names, docs/reference/passportforwork.md §1).</summary>
public sealed record PinPolicySpec(int? MinimumPINLength, int? MaximumPINLength, int? Digits, int? LowercaseLetters, int? UppercaseLetters, int? SpecialCharacters, int? Expiration);

/// <summary>One custom OMA-URI setting of a profile.</summary>
public sealed record OmaSetting(string OmaUri, OmaSettingType Type, string Value);

/// <summary>create-tenant: a tenant the later steps refer to by name.</summary>
public sealed record CreateTenantStep(string Name, string? TenantId, string? Domain) : ScenarioStep
{
    public override string Kind => "create-tenant";
    public override string Describe() => $"create tenant {Name}";
}

/// <summary>consent: an admin consents (or withdraws consent for) one PIN reset application.</summary>
public sealed record ConsentStep(string? Tenant, PinResetApplication App, bool Granted) : ScenarioStep
{
    public override string Kind => "consent";
    public override string Describe() => $"{(Granted ? "consent" : "revoke consent for")} PIN reset {App.ToString().ToLowerInvariant()} app";
}

/// <summary>create-profile: a custom configuration profile of OMA-URI settings.</summary>
public sealed record CreateProfileStep(string Name, string? Tenant, IReadOnlyList<OmaSetting> Settings, IReadOnlyList<string> Platforms) : ScenarioStep
{
    public override string Kind => "create-profile";
    public override string Describe() => $"create profile {Name} ({Settings.Count} setting(s))";
}

/// <summary>Whether a profile assignment targets a user group or a device group.</summary>
public enum GroupKind
{
    User,
    Device,
}

/// <summary>assign-profile: assigns a profile to a user or device group.</summary>
public sealed record AssignProfileStep(string Profile, GroupKind GroupKind, string Group) : ScenarioStep
{
    public override string Kind => "assign-profile";
    public override string Describe() => $"assign profile {Profile} to {GroupKind.ToString().ToLowerInvariant()} group {Group}";
}

/// <summary>enroll: creates an emulated device and enrolls it (MS-MDE2) unless refusal is expected.</summary>
public sealed record EnrollStep(
    string Device,
    string? Tenant,
    JoinType Join,
    string OsBuild,
    string Platform,
    string? User,
    PinPolicySpec? PinPolicy,
    string? Pin,
    IReadOnlyList<string> UserGroups,
    IReadOnlyList<string> DeviceGroups,
    bool ExpectRefused,
    PhoneSpec? Phone = null) : ScenarioStep
{
    public override string Kind => "enroll";
    public override string Describe() => $"enroll {Device} ({Join}, {Platform} {OsBuild}){(ExpectRefused ? ", expecting refusal" : "")}";
}

/// <summary>request-action: an admin requests a device action from the console.</summary>
public sealed record RequestActionStep(string Device, DeviceActionKind Action, PinResetMethod Method) : ScenarioStep
{
    public override string Kind => "request-action";
    public override string Describe() => $"request {Action} on {Device}{(Method == PinResetMethod.Auto ? "" : $" ({Method})")}";
}

/// <summary>sync: runs OMA-DM sessions for one device or all devices.</summary>
public sealed record SyncStep(string? Device, int Sessions) : ScenarioStep
{
    public override string Kind => "sync";
    public override string Describe() => $"sync {Device ?? "all devices"}{(Sessions > 1 ? $" x{Sessions}" : "")}";
}

/// <summary>advance-time: moves the shared clock forward.</summary>
public sealed record AdvanceTimeStep(TimeSpan By) : ScenarioStep
{
    public override string Kind => "advance-time";
    public override string Describe() => $"advance time by {By}";
}

/// <summary>unlock: the user enters a PIN on the lock screen (and sets a new one when the device requires it).</summary>
public sealed record UnlockStep(string Device, string Pin, string? NewPin, bool ExpectSuccess) : ScenarioStep
{
    /// <summary>The Pin value meaning "the passcode the console shows for the device's last reset".</summary>
    public const string PasscodeToken = "$passcode";

    public override string Kind => "unlock";
    public override string Describe() => $"unlock {Device} with {(Pin == PasscodeToken ? "the console's passcode" : "a PIN")}{(ExpectSuccess ? "" : ", expecting rejection")}";
}

/// <summary>expect-action: the console's state for the device's latest action (of a kind).</summary>
public sealed record ExpectActionStep(string Device, DeviceActionKind? Action, ActionState State, string? ErrorContains) : ScenarioStep
{
    public override string Kind => "expect-action";
    public override string Describe() => $"expect {Action?.ToString() ?? "last action"} on {Device} is {State}";
}

/// <summary>expect-passcode: what the console shows as the generated passcode.</summary>
public sealed record ExpectPasscodeStep(string Device, bool? Present, int? Length, bool? MeetsPolicy) : ScenarioStep
{
    public override string Kind => "expect-passcode";
    public override string Describe() => $"expect passcode on {Device}:{(Present is { } p ? (p ? " present" : " absent") : "")}{(Length is { } l ? $" length {l}" : "")}{(MeetsPolicy is { } m ? (m ? " meets policy" : " violates policy") : "")}";
}

/// <summary>expect-profile: the per-device state of a profile in the console.</summary>
public sealed record ExpectProfileStep(string Device, string Profile, ProfileState State) : ScenarioStep
{
    public override string Kind => "expect-profile";
    public override string Describe() => $"expect profile {Profile} on {Device} is {State}";
}

/// <summary>expect-lock: the device's lock screen state.</summary>
public sealed record ExpectLockStep(string Device, bool Locked) : ScenarioStep
{
    public override string Kind => "expect-lock";
    public override string Describe() => $"expect {Device} {(Locked ? "locked" : "unlocked")}";
}

/// <summary>expect-event: a line of the device's NGC event log contains (or no line contains) a text.</summary>
public sealed record ExpectEventStep(string Device, string Contains, bool Absent) : ScenarioStep
{
    public override string Kind => "expect-event";
    public override string Describe() => $"expect {Device}'s NGC log {(Absent ? "not to contain" : "to contain")} \"{Contains}\"";
}

/// <summary>expect-keys: whether the user's Windows Hello keys survived the last PIN reset.</summary>
public sealed record ExpectKeysStep(string Device, bool Kept) : ScenarioStep
{
    public override string Kind => "expect-keys";
    public override string Describe() => $"expect {Device}'s Hello keys {(Kept ? "kept" : "deleted")}";
}
