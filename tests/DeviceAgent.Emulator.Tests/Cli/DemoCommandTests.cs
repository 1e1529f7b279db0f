using DeviceAgent.Cli.Commands;
using DeviceAgent.Emulator.Demo;

namespace DeviceAgent.Emulator.Tests.Cli;

public class DemoCommandTests
{
    [Test]
    public async Task The_demo_tells_the_whole_story_and_exits_zero()
    {
        var output = new StringWriter();

        var exit = await DemoCommands.RunAsync(new DemoOptions { Seed = 7, Pbkdf2Iterations = 10 }, new PlainNarrator(output), CancellationToken.None);

        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, text);
            Assert.That(text, Does.Contain("(devices authenticate with mutual TLS)"));
            Assert.That(text, Does.Contain("[ok] Console: New Passcode Pending"));
            Assert.That(text, Does.Contain("[ok] Console: New Passcode Done"));
            Assert.That(text, Does.Contain("Windows Hello keys intact"));
            Assert.That(text, Does.Contain("[ok] Console: New Passcode Failed"));
            Assert.That(text, Does.Match(@"> \S+Z \S+ RecoverPin InvalidPinTooFewCharacters user=carol@contoso.com"));
            Assert.That(text, Does.Contain("[ok] Console: Reset Passcode Done"));
            Assert.That(text, Does.Contain("Windows Hello keys deleted"));
            Assert.That(text, Does.Contain("[ok] The story went as expected."));
            Assert.That(text, Does.Not.Contain("[FAILED]"));
        });
    }

    [Test]
    public async Task Verbose_shows_the_SyncML_of_the_reset()
    {
        var output = new StringWriter();

        var exit = await DemoCommands.RunAsync(new DemoOptions { Seed = 8, Pbkdf2Iterations = 10, Verbose = true, Host = DeviceAgent.Emulator.Server.EmbeddedHost.TestServer }, new PlainNarrator(output), CancellationToken.None);

        Assert.That(exit, Is.Zero);
        Assert.That(output.ToString(), Does.Contain("<LocURI>./Vendor/MSFT/RemoteLock/LockAndRecoverPIN</LocURI>"));
        Assert.That(output.ToString(), Does.Contain("S->D"));
    }
}
