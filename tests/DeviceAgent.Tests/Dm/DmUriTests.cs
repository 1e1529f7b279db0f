using DeviceAgent.Dm;

namespace DeviceAgent.Tests.Dm;

public class DmUriTests
{
    [TestCase("./Device/Vendor/MSFT/RemoteLock", new[] { "Device", "Vendor", "MSFT", "RemoteLock" })]
    [TestCase("./Vendor/MSFT/RemoteLock", new[] { "Device", "Vendor", "MSFT", "RemoteLock" })]
    [TestCase("./vendor/MSFT", new[] { "Device", "vendor", "MSFT" })]
    [TestCase("DevInfo/DevId", new[] { "DevInfo", "DevId" })]
    [TestCase("./A/Name.With.Dots", new[] { "A", "Name.With.Dots" })]
    [TestCase("./A/Caf%C3%A9", new[] { "A", "Café" })]
    [TestCase(".", new string[0])]
    public void SplitsDecodesAndRewritesVendor(string uri, string[] expected)
    {
        Assert.That(DmUri.TryParse(uri, out var segments, out var error), Is.True, error);
        Assert.That(segments, Is.EqualTo(expected));
    }

    [TestCase("", DmUriError.Invalid)]
    [TestCase("/Device/Vendor", DmUriError.Invalid)]
    [TestCase("./Device/Vendor/", DmUriError.Invalid)]
    [TestCase("./Vendor/MSFT/Registry/HKLM/Security/./Test", DmUriError.Invalid)]
    [TestCase("./Device/../DevInfo", DmUriError.Invalid)]
    [TestCase("./Device//Vendor", DmUriError.Invalid)]
    [TestCase("./Device/*", DmUriError.Invalid)]
    [TestCase("./A/%ZZ", DmUriError.Invalid)]
    [TestCase("./A/%C3", DmUriError.Invalid)]
    [TestCase("./A/a%2Fb", DmUriError.Invalid)]
    [TestCase("./DevDetail?list=Struct", DmUriError.Query)]
    public void RefusesWhatTheProtocolForbids(string uri, DmUriError kind)
    {
        Assert.That(DmUri.TryParse(uri, out _, out var error, out var actual), Is.False);
        Assert.That(actual, Is.EqualTo(kind));
        Assert.That(error, Is.Not.Empty);
    }
}
