using DeviceAgent.Dm;

namespace DeviceAgent.Tests.Dm;

public class OsBuildTests
{
    [TestCase("10.0.15063.297", "10.0.15063", true)]
    [TestCase("10.0.15063.0", "10.0.17763", false)]
    [TestCase("10.0.15063.0", "10.0.10586", true)]
    [TestCase("10.0.19044.1600", "10.0.22621, 10.0.22000.527, 10.0.19044.1566", true)]
    [TestCase("10.0.19044.1500", "10.0.22621, 10.0.22000.527, 10.0.19044.1566", false)]
    [TestCase("10.0.19045.100", "10.0.22621, 10.0.22000.527, 10.0.19044.1566", true)]
    [TestCase("10.0.22000.100", "10.0.22621, 10.0.22000.527, 10.0.19044.1566", false)]
    [TestCase("10.0.22631.0", "10.0.22621, 10.0.22000.527, 10.0.19044.1566", true)]
    [TestCase("10.0.26100.0", "99.9.99999", false)]
    public void ApplicabilityFollowsTheNearestEntryAtOrBelowTheBuild(string device, string applicability, bool expected)
    {
        Assert.That(OsBuild.Parse(device).Satisfies(applicability), Is.EqualTo(expected));
    }

    [TestCase("10.0")]
    [TestCase("10.0.x")]
    [TestCase("")]
    public void RefusesMalformedBuilds(string text)
    {
        Assert.That(() => OsBuild.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(text));
    }
}
