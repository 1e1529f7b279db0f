using MockMdm.PinReset;
using MockMdm.Store;

namespace MockMdm.Tenants;

/// <summary>
/// The tenants the server knows and their PIN reset consent. The store is the source of truth; the hosted
/// <see cref="IPinResetService"/> is told every decision (and all stored ones at start) so devices see the same state.
/// </summary>
public sealed class TenantDirectory(IMdmStore store, IPinResetService pinResetService, MockMdmOptions options)
{
    /// <summary>Client IDs of the two PIN reset applications (docs/reference/pin-reset.md §1).</summary>
    public const string ServiceClientId = PinResetApplicationIds.Service;

    /// <inheritdoc cref="ServiceClientId"/>
    public const string ClientClientId = PinResetApplicationIds.Client;

    /// <summary>Creates the default tenant if missing and replays stored consent into the PIN reset service.</summary>
    public void Initialize()
    {
        var tenants = store.Write(tx =>
        {
            if (tx.Find<TenantRecord>(options.TenantId) is null)
            {
                tx.Put(new TenantRecord { Id = options.TenantId, DisplayName = options.TenantDisplayName });
            }

            return tx.List<TenantRecord>();
        });
        foreach (var tenant in tenants)
        {
            pinResetService.AddTenant(tenant.Id);
            pinResetService.SetConsent(tenant.Id, PinResetApplication.Service, tenant.PinResetServiceConsented);
            pinResetService.SetConsent(tenant.Id, PinResetApplication.Client, tenant.PinResetClientConsented);
        }
    }

    /// <summary>The tenant a user belongs to: the one listing the UPN's domain, else the default tenant.</summary>
    public TenantRecord TenantForUser(IStoreView view, string userPrincipalName)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(userPrincipalName);
        var at = userPrincipalName.LastIndexOf('@');
        var domain = at >= 0 ? userPrincipalName[(at + 1)..] : "";
        var tenants = view.List<TenantRecord>();
        return tenants.FirstOrDefault(t => t.Domains.Contains(domain, StringComparer.OrdinalIgnoreCase))
            ?? tenants.First(t => t.Id == options.TenantId);
    }

    /// <summary>The application a client_id names, or null.</summary>
    public static PinResetApplication? ApplicationOf(string? clientId) => PinResetApplicationIds.ApplicationOf(clientId);

    /// <summary>The client_id of <paramref name="application"/> (what a consent names).</summary>
    public static string ClientIdOf(PinResetApplication application) => PinResetApplicationIds.ClientIdOf(application);

    /// <summary>
    /// Creates a tenant durably and makes it known to the PIN reset service. Returns null, or why it was refused: the ID
    /// is taken, or a domain is already another tenant's (a domain belongs to one directory, as in Azure AD; users are
    /// mapped to tenants by their UPN's domain, so a shared domain would send them to whichever tenant came first).
    /// </summary>
    public string? AddTenant(TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var conflict = store.Write(tx =>
        {
            if (tx.Find<TenantRecord>(tenant.Id) is not null)
            {
                return $"tenant '{tenant.Id}' already exists";
            }

            foreach (var other in tx.List<TenantRecord>())
            {
                var shared = tenant.Domains.FirstOrDefault(d => other.Domains.Contains(d, StringComparer.OrdinalIgnoreCase));
                if (shared is not null)
                {
                    return $"domain '{shared}' already belongs to tenant '{other.Id}' ({other.DisplayName})";
                }
            }

            tx.Put(tenant);
            return null;
        });
        if (conflict is null)
        {
            pinResetService.AddTenant(tenant.Id);
        }

        return conflict;
    }

    /// <summary>Records an admin's consent decision durably, then tells the PIN reset service; false for an unknown tenant.</summary>
    public bool SetConsent(string tenantId, PinResetApplication application, bool granted)
    {
        var stored = store.Write(tx =>
        {
            var tenant = tx.Find<TenantRecord>(Normalize(tenantId));
            if (tenant is null)
            {
                return null;
            }

            if (application == PinResetApplication.Service)
            {
                tenant.PinResetServiceConsented = granted;
            }
            else
            {
                tenant.PinResetClientConsented = granted;
            }

            tenant.ConsentUpdatedDateTime = options.TimeProvider.GetUtcNow();
            tx.Put(tenant);
            return tenant;
        });
        if (stored is null)
        {
            return false;
        }

        pinResetService.SetConsent(stored.Id, application, granted);
        return true;
    }

    /// <summary>Tenant IDs are GUIDs compared case-insensitively; they are stored lower case.</summary>
    public static string Normalize(string tenantId)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        // Every GUID spelling (32 digits, braced, parenthesised, any case) is the canonical lower-case D form, so one
        // tenant cannot be registered twice under two spellings (issue 16); a non-GUID stays as given, trimmed.
        return Guid.TryParse(tenantId.Trim(), out var guid) ? guid.ToString("D") : tenantId.Trim().ToLowerInvariant();
    }
}
