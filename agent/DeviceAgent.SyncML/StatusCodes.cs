namespace DeviceAgent.SyncML;

/// <summary>SyncML status codes as Windows uses them (SyncML RepPro 1.2 section 10; Microsoft Learn "OMA DM protocol support").</summary>
public static class StatusCodes
{
    /// <summary>200 OK: the command completed successfully.</summary>
    public const int Ok = 200;
    /// <summary>202 Accepted for processing: the command (typically an asynchronous Exec) will complete later, often reported by a Generic Alert 1226.</summary>
    public const int AcceptedForProcessing = 202;
    /// <summary>212 Authentication accepted: the SyncHdr Cred is valid and no more credentials are needed this session.</summary>
    public const int AuthenticationAccepted = 212;
    /// <summary>213 Chunked item accepted and buffered: the answer to every large-object chunk whose Item carries MoreData.</summary>
    public const int ChunkedItemAccepted = 213;
    /// <summary>214 Operation cancelled: this command completed but no further commands are processed this session.</summary>
    public const int OperationCancelled = 214;
    /// <summary>215 Not executed: the command was not run (e.g. the user cancelled).</summary>
    public const int NotExecuted = 215;
    /// <summary>216 Atomic roll back OK: a command inside a failed Atomic was rolled back.</summary>
    public const int AtomicRollbackOk = 216;
    /// <summary>400 Bad request: malformed SyncML, a command without CmdID, or an element that is not an OMA DM command.</summary>
    public const int BadRequest = 400;
    /// <summary>401 Invalid credentials: authentication failed; a Status on the SyncHdr may carry a Chal.</summary>
    public const int InvalidCredentials = 401;
    /// <summary>403 Forbidden: the command was understood but is refused.</summary>
    public const int Forbidden = 403;
    /// <summary>404 Not found: the node the Item's LocURI names does not exist.</summary>
    public const int NotFound = 404;
    /// <summary>405 Command not allowed: the command is not permitted on this node (e.g. Replace of a read-only node).</summary>
    public const int CommandNotAllowed = 405;
    /// <summary>406 Optional feature not supported: the node or CSP lacks the feature the command asks for.</summary>
    public const int OptionalFeatureNotSupported = 406;
    /// <summary>407 Missing credentials: authentication is required but the message had no Cred.</summary>
    public const int MissingCredentials = 407;
    /// <summary>415 Unsupported media type or format: the Meta Type or Format (or the Data it describes) is not accepted.</summary>
    public const int UnsupportedMediaTypeOrFormat = 415;
    /// <summary>418 Already exists: Add of a node that is already in the tree.</summary>
    public const int AlreadyExists = 418;
    /// <summary>424 Size mismatch: a reassembled large object's length differs from the first chunk's Meta Size.</summary>
    public const int SizeMismatch = 424;
    /// <summary>425 Permission denied: the node's ACL or the caller's rights do not allow the command.</summary>
    public const int PermissionDenied = 425;
    /// <summary>500 Command failed: a generic failure (also a nested Atomic or a Get inside an Atomic).</summary>
    public const int CommandFailed = 500;
    /// <summary>507 Atomic failed: a command inside the Atomic failed, so none of them took effect.</summary>
    public const int AtomicFailed = 507;
    /// <summary>516 Atomic roll back failed: a command inside a failed Atomic could not be rolled back.</summary>
    public const int AtomicRollbackFailed = 516;
    /// <summary>517 Atomic response too large: the Atomic's Results would not fit in one message.</summary>
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

/// <summary>Alert codes of OMA DM 1.2 as Windows uses them (OMA DM RepPro 1.2; MS-MDM 2.2.7.2; Microsoft Learn "OMA DM protocol support").</summary>
public static class AlertCodes
{
    /// <summary>1100 DISPLAY: a server's user-interaction Alert asking the client to show a message.</summary>
    public const int Display = 1100;
    /// <summary>1200 SERVER-INITIATED MGMT: package 1 of a session a server notification started.</summary>
    public const int ServerInitiatedMgmt = 1200;
    /// <summary>1201 CLIENT-INITIATED MGMT: package 1 of a session the client started (poll, user sync).</summary>
    public const int ClientInitiatedMgmt = 1201;
    /// <summary>1222 NEXT MESSAGE: asks the peer for the next message of a package that spans several messages.</summary>
    public const int NextMessage = 1222;
    /// <summary>1223 SESSION ABORT: ends the session; the sender includes the statuses of work already done.</summary>
    public const int SessionAbort = 1223;
    /// <summary>1224 CLIENT EVENT: a device-triggered event; Windows sends the login status with it.</summary>
    public const int ClientEvent = 1224;
    /// <summary>1225 NO END OF DATA: a large object's chunks stopped before the chunk without MoreData.</summary>
    public const int NoEndOfData = 1225;
    /// <summary>1226 GENERIC ALERT: a client report tied to a node (asynchronous CSP completion, user-initiated unenrollment), typed by Meta Type.</summary>
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
