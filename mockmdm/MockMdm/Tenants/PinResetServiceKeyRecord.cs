using MockMdm.Store;

namespace MockMdm.Tenants;

/// <summary>The hosted PIN reset service's private key (PKCS#8, base64), stored so it survives restarts.</summary>
public sealed class PinResetServiceKeyRecord : IStoreRecord
{
    public const string SingletonId = "pin-reset-service";

    public string Id { get; init; } = SingletonId;
    public string? Owner => null;
    public required string Pkcs8 { get; init; }
}
