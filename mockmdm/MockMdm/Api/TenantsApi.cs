using MockMdm.Store;
using MockMdm.Tenants;

namespace MockMdm.Api;

/// <summary>/api/tenants: directory (tenant) IDs, their UPN domains and PIN reset consent state.</summary>
internal static class TenantsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var tenants = api.MapGroup("/tenants");
        tenants.MapGet("", (IMdmStore store, HttpContext context) =>
            Results.Json(new { value = store.Read(v => v.List<TenantRecord>().Select(t => Render(t, context)).ToList()) }));
        tenants.MapGet("/{id}", (string id, IMdmStore store, HttpContext context) =>
            store.Find<TenantRecord>(TenantDirectory.Normalize(id)) is { } t ? Results.Json(Render(t, context)) : NotFound(id));
        tenants.MapPost("", async (HttpRequest request, TenantDirectory directory) =>
        {
            var (body, error) = await ApiSupport.ReadObjectAsync(request).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            var errors = new List<string>();
            var id = ApiSupport.OptionalString(body, "id", errors);
            var name = ApiSupport.OptionalString(body, "displayName", errors);
            var domains = ApiSupport.OptionalStrings(body, "domains", errors) ?? [];
            if (id is null || !Guid.TryParse(id, out _))
            {
                errors.Add($"'id' must be the directory (tenant) ID, a GUID, not '{id}'");
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add("'displayName' is required");
            }

            if (errors.Count > 0)
            {
                return ApiSupport.BadRequest(string.Join("; ", errors));
            }

            var tenant = new TenantRecord { Id = TenantDirectory.Normalize(id!), DisplayName = name!, Domains = domains };
            return directory.AddTenant(tenant) is { } conflict
                ? ApiSupport.Error(409, "Conflict", conflict)
                : Results.Json(Render(tenant, request.HttpContext), statusCode: 201);
        });
    }

    private static IResult NotFound(string id) => ApiSupport.NotFound($"tenant '{id}' does not exist");

    private static Dictionary<string, object?> Render(TenantRecord t, HttpContext context) => new()
    {
        ["id"] = t.Id,
        ["displayName"] = t.DisplayName,
        ["domains"] = t.Domains,
        ["pinResetServiceConsented"] = t.PinResetServiceConsented,
        ["pinResetClientConsented"] = t.PinResetClientConsented,
        ["consentUpdatedDateTime"] = t.ConsentUpdatedDateTime,
        ["pinResetServiceConsentUrl"] = ConsentPages.Url(context, t.Id, TenantDirectory.ServiceClientId),
        ["pinResetClientConsentUrl"] = ConsentPages.Url(context, t.Id, TenantDirectory.ClientClientId),
    };
}
