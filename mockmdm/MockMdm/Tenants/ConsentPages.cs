using System.Net;
using System.Text;

namespace MockMdm.Tenants;

/// <summary>
/// The admin consent pages of the two PIN reset applications (docs/reference/pin-reset.md §1), shaped like Entra's
/// /{tenant}/oauth2/authorize?client_id=...&amp;prompt=admin_consent: GET shows the request, POST records the decision.
/// </summary>
internal static class ConsentPages
{
    public const string Path = "/{tenant}/oauth2/authorize";

    public static void Map(WebApplication app)
    {
        app.MapGet(Path, (string tenant, string? client_id, TenantDirectory directory, Store.IMdmStore store, MockMdmOptions options) =>
        {
            var (tenantId, application, error) = Resolve(tenant, client_id, store, options);
            if (error is not null)
            {
                return error;
            }

            var name = application == MockMdm.PinReset.PinResetApplication.Service
                ? "Microsoft Pin Reset Service Production"
                : "Microsoft Pin Reset Client Production";
            return Html(200, "Permissions requested",
                $"""
                <p><strong>{name}</strong> (client_id {WebUtility.HtmlEncode(client_id)}) asks for admin consent in tenant {tenantId}.</p>
                <form method="post">
                <input type="hidden" name="client_id" value="{WebUtility.HtmlEncode(client_id)}"/>
                <button name="decision" value="accept">Accept</button>
                <button name="decision" value="decline">Cancel</button>
                </form>
                """);
        });
        app.MapPost(Path, async (string tenant, HttpRequest request, TenantDirectory directory, Store.IMdmStore store, MockMdmOptions options) =>
        {
            if (CrossOriginRefusal(request, options) is { } crossOrigin)
            {
                return crossOrigin;
            }

            if (!request.HasFormContentType)
            {
                return Html(400, "Bad request", "<p>post the consent form (application/x-www-form-urlencoded with client_id and decision)</p>");
            }

            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            var clientId = form["client_id"].ToString();
            var (tenantId, application, error) = Resolve(tenant, clientId, store, options);
            if (error is not null)
            {
                return error;
            }

            var decision = form["decision"].ToString();
            if (decision is not ("accept" or "decline"))
            {
                return Html(400, "Bad request", "<p>decision must be accept or decline</p>");
            }

            directory.SetConsent(tenantId!, application!.Value, decision == "accept");
            // Entra lands the admin on a "no permission" page after consenting; docs/reference/pin-reset.md §1 calls that expected.
            return Html(200, decision == "accept" ? "Consent granted" : "Consent declined",
                "<p>The decision is recorded. (In Entra the browser now lands on a blank or \"no permission\" page: that is expected.)</p>");
        }).DisableAntiforgery();
    }

    /// <summary>
    /// CSRF defence by the standard headers (OWASP CSRF Prevention Cheat Sheet, "Verifying origin with standard
    /// headers"): browsers send Origin on every POST (Fetch standard), so a form posted from another site, or from an
    /// opaque origin ("null"), is refused. A request with neither Origin nor Referer does not come from a browser form
    /// (the emulator's admin client, curl) and is no CSRF vector; it is accepted. Same origin: the request's own scheme
    /// and host, or PublicBaseUrl's (docs/security.md "Consent pages").
    /// </summary>
    private static IResult? CrossOriginRefusal(HttpRequest request, MockMdmOptions options)
    {
        var claimed = request.Headers.Origin.ToString();
        if (claimed.Length == 0 && Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer))
        {
            claimed = referer.GetLeftPart(UriPartial.Authority);
        }

        if (claimed.Length == 0)
        {
            return null;
        }

        static string? OriginOf(string url) =>
            Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : null;

        var own = OriginOf($"{request.Scheme}://{request.Host}");
        var published = options.PublicBaseUrl is null ? null : OriginOf(options.PublicBaseUrl.ToString());
        var origin = OriginOf(claimed);
        return origin is not null && (string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) || string.Equals(origin, published, StringComparison.OrdinalIgnoreCase))
            ? null
            : Html(403, "Cross-site request refused",
                $"<p>the consent form must be posted from this server's own page, not from origin '{WebUtility.HtmlEncode(claimed)}'</p>");
    }

    /// <summary>The consent URL an admin visits for one application in one tenant.</summary>
    public static string Url(HttpContext context, string tenantId, string clientId)
    {
        var options = context.RequestServices.GetRequiredService<MockMdmOptions>();
        var baseUrl = options.PublicBaseUrl ?? new Uri($"{context.Request.Scheme}://{context.Request.Host}/");
        return new Uri(baseUrl, $"/{tenantId}/oauth2/authorize?response_type=code&client_id={clientId}&prompt=admin_consent").ToString();
    }

    private static (string? TenantId, MockMdm.PinReset.PinResetApplication? Application, IResult? Error) Resolve(
        string tenant, string? clientId, Store.IMdmStore store, MockMdmOptions options)
    {
        var tenantId = tenant.Equals("common", StringComparison.OrdinalIgnoreCase) ? options.TenantId : TenantDirectory.Normalize(tenant);
        if (Store.MdmStoreExtensions.Find<TenantRecord>(store, tenantId) is null)
        {
            return (null, null, Html(404, "Unknown tenant", $"<p>tenant '{WebUtility.HtmlEncode(tenant)}' does not exist</p>"));
        }

        var application = TenantDirectory.ApplicationOf(clientId);
        return application is null
            ? (null, null, Html(400, "Unknown application",
                $"<p>client_id must be {TenantDirectory.ServiceClientId} (PIN reset service) or {TenantDirectory.ClientClientId} (PIN reset client), not '{WebUtility.HtmlEncode(clientId)}'</p>"))
            : (tenantId, application, null);
    }

    private static IResult Html(int status, string title, string body) => Results.Content(
        $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1>\n{body}\n</body></html>\n",
        "text/html; charset=utf-8", Encoding.UTF8, status);
}
