using MockMdm.Tests.Support;

namespace MockMdm.Tests.Hardening;

/// <summary>Issue 16 item 5: every GUID spelling of an existing tenant is the same tenant (409), and reads find it.</summary>
public class TenantIdTests
{
    private const string Canonical = "0b7e1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";

    [TestCase("0b7e1c2d3e4f4a5b8c6d7e8f9a0b1c2d")]
    [TestCase("{0b7e1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d}")]
    [TestCase("(0B7E1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C2D)")]
    [TestCase(" 0B7E1C2D-3E4F-4A5B-8C6D-7E8F9A0B1C2D ")]
    [CancelAfter(30_000)]
    public async Task AnotherSpellingOfAnExistingTenant_Is409_AndReadsFindTheCanonicalOne(string spelling, CancellationToken cancellationToken)
    {
        await using var mdm = await TestMdm.StartAsync();
        using (var created = await mdm.SendJsonAsync(HttpMethod.Post, "/api/tenants", $$"""{"id":"{{Canonical}}","displayName":"Fabrikam"}"""))
        {
            Assert.That((int)created.StatusCode, Is.EqualTo(201));
        }

        using var again = await mdm.SendJsonAsync(HttpMethod.Post, "/api/tenants", "{\"id\":\"" + spelling + "\",\"displayName\":\"Fabrikam again\"}");
        Assert.That((int)again.StatusCode, Is.EqualTo(409), await again.Content.ReadAsStringAsync(cancellationToken));

        using var read = await mdm.GetJsonAsync("/api/tenants/" + Uri.EscapeDataString(spelling));
        Assert.That(read.RootElement.GetProperty("id").GetString(), Is.EqualTo(Canonical));
        using var all = await mdm.GetJsonAsync("/api/tenants");
        Assert.That(all.RootElement.GetProperty("value").EnumerateArray().Count(t => t.GetProperty("displayName").GetString()!.StartsWith("Fabrikam", StringComparison.Ordinal)), Is.EqualTo(1));
    }
}
