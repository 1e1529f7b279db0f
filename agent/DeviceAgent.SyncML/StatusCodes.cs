namespace DeviceAgent.SyncML;

/// <summary>SyncML status codes as Windows uses them (reference docs/reference/omadm.md §9; SyncML RepPro 1.2 section 10).</summary>
public static class StatusCodes
{
    public const int Ok = 200;
    public const int AcceptedForProcessing = 202;
    public const int AuthenticationAccepted = 212;
    public const int ChunkedItemAccepted = 213;
    public const int OperationCancelled = 214;
    public const int NotExecuted = 215;
    public const int AtomicRollbackOk = 216;
    public const int BadRequest = 400;
    public const int InvalidCredentials = 401;
    public const int Forbidden = 403;
    public const int NotFound = 404;
    public const int CommandNotAllowed = 405;
    public const int OptionalFeatureNotSupported = 406;
    public const int MissingCredentials = 407;
    public const int UnsupportedMediaTypeOrFormat = 415;
    public const int AlreadyExists = 418;
    public const int SizeMismatch = 424;
    public const int PermissionDenied = 425;
    public const int CommandFailed = 500;
    public const int AtomicFailed = 507;
    public const int AtomicRollbackFailed = 516;
    public const int AtomicResponseTooLarge = 517;

    /// <summary>A person-readable meaning of a status code, or null when the code is not one Windows uses.</summary>
    public static string? Describe(int code) => code switch
    {
        Ok => "OK",
        AcceptedForProcessing => "Accepted for processing",
        AuthenticationAccepted => "Authentication accepted",
        ChunkedItemAccepted => "Chunked item accepted and buffered",
        OperationCancelled => "Operation cancelled",
        NotExecuted => "Not executed",
        AtomicRollbackOk => "Atomic roll back OK",
        BadRequest => "Bad request",
        InvalidCredentials => "Invalid credentials",
        Forbidden => "Forbidden",
        NotFound => "Not found",
        CommandNotAllowed => "Command not allowed",
        OptionalFeatureNotSupported => "Optional feature not supported",
        MissingCredentials => "Missing credentials",
        UnsupportedMediaTypeOrFormat => "Unsupported media type or format",
        AlreadyExists => "Already exists",
        SizeMismatch => "Size mismatch",
        PermissionDenied => "Permission denied",
        CommandFailed => "Command failed",
        AtomicFailed => "Atomic failed",
        AtomicRollbackFailed => "Atomic roll back failed",
        AtomicResponseTooLarge => "Atomic response too large",
        _ => null,
    };
}

/// <summary>Alert codes of OMA DM 1.2 as Windows uses them (reference docs/reference/omadm.md §7).</summary>
public static class AlertCodes
{
    public const int Display = 1100;
    public const int ServerInitiatedMgmt = 1200;
    public const int ClientInitiatedMgmt = 1201;
    public const int NextMessage = 1222;
    public const int SessionAbort = 1223;
    public const int ClientEvent = 1224;
    public const int NoEndOfData = 1225;
    public const int GenericAlert = 1226;

    /// <summary>The Meta/Type of the Alert 1224 that reports the login status (data user, others or none).</summary>
    public const string LoginStatusType = "com.microsoft/MDM/LoginStatus";

    /// <summary>A person-readable name of an alert code, or null when unknown.</summary>
    public static string? Describe(int code) => code switch
    {
        Display => "DISPLAY",
        ServerInitiatedMgmt => "SERVER-INITIATED MGMT",
        ClientInitiatedMgmt => "CLIENT-INITIATED MGMT",
        NextMessage => "NEXT MESSAGE",
        SessionAbort => "SESSION ABORT",
        ClientEvent => "CLIENT EVENT",
        NoEndOfData => "NO END OF DATA",
        GenericAlert => "GENERIC ALERT",
        _ => null,
    };
}
