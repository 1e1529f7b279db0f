using DeviceAgent.Dm;

namespace DeviceAgent.Csp;

/// <summary>Composition of the CSP handlers every emulated device has (DevInfo, DevDetail, DMClient, PassportForWork, RemoteLock).</summary>
public static class StandardCsps
{
    /// <summary>
    /// The handlers that need nothing but the profile: DevInfo, DevDetail, DMClient, Reboot, RemoteWipe, RemoteFind,
    /// RemoteRing, the EnterpriseModernAppManagement inventory, the certificate CSPs, NodeCache, Policy Result
    /// (docs/csps.md) and the generic store of every other CSP.
    /// </summary>
    public static IReadOnlyList<ICspHandler> Create(DeviceProfile profile, TimeProvider time)
    {
        var store = new DdfNodeStore(profile, time);
        return [new DevInfoCsp(profile), new DevDetailCsp(profile, time), new DmClientCsp(profile), new RebootCsp(), new RemoteWipeCsp(),
            new CertificateStoreCsp(store), new ClientCertificateInstallCsp(profile, store), new NodeCacheCsp(), new PolicyResultCsp(store),
            new RemoteFindCsp(profile, time), new RemoteRingCsp(time), new AppInventoryCsp(profile, store), store];
    }

    /// <summary>Every standard handler, PassportForWork and RemoteLock wired to <paramref name="hello"/>.</summary>
    public static IReadOnlyList<ICspHandler> Create(DeviceProfile profile, TimeProvider time, WindowsHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        return [.. Create(profile, time), .. hello.Handlers];
    }
}

/// <summary>
/// A device built from a profile with every standard CSP: its DM tree (the DDF set of its OS build), Windows Hello
/// provisioned for the signed-in user, the handlers and the command executor. What `deviceagent send` and tests run.
/// </summary>
public sealed class StandardDevice
{
    private StandardDevice(DeviceProfile profile, DmTree tree, WindowsHello hello, IReadOnlyList<ICspHandler> handlers, DmCommandExecutor executor)
    {
        Profile = profile;
        Tree = tree;
        Hello = hello;
        Handlers = handlers;
        Executor = executor;
    }

    /// <summary>Identity and hardware the CSPs report (DevInfo, DevDetail, DMClient).</summary>
    public DeviceProfile Profile { get; }

    /// <summary>The device's DM tree built from the DDF set for its OS build.</summary>
    public DmTree Tree { get; }

    /// <summary>Windows Hello: NGC storage, PIN policy, PassportForWork and RemoteLock.</summary>
    public WindowsHello Hello { get; }

    /// <summary>Every CSP handler the executor dispatches to.</summary>
    public IReadOnlyList<ICspHandler> Handlers { get; }

    /// <summary>Runs server commands against the tree and handlers.</summary>
    public DmCommandExecutor Executor { get; }

    /// <summary>The DMClient handler (its pending Unenroll requests are acted on after the session).</summary>
    public DmClientCsp DmClient => Handlers.OfType<DmClientCsp>().Single();

    /// <summary>The DevDetail handler (a DeviceName Replace waits for <see cref="DevDetailCsp.Restart"/>).</summary>
    public DevDetailCsp DevDetail => Handlers.OfType<DevDetailCsp>().Single();

    /// <summary>The Reboot handler (RebootNow requests wait for the end of the session).</summary>
    public RebootCsp Reboot => Handlers.OfType<RebootCsp>().Single();

    /// <summary>The RemoteWipe handler (doWipe requests wait for the end of the session).</summary>
    public RemoteWipeCsp RemoteWipe => Handlers.OfType<RemoteWipeCsp>().Single();

    /// <summary>The RemoteFind handler (its session settings end with the session).</summary>
    public RemoteFindCsp RemoteFind => Handlers.OfType<RemoteFindCsp>().Single();

    /// <summary>The RemoteRing handler (raises <see cref="RemoteRingCsp.Rang"/> when a server rings the phone).</summary>
    public RemoteRingCsp RemoteRing => Handlers.OfType<RemoteRingCsp>().Single();

    /// <summary>Builds the device; <paramref name="random"/> is its seeded source (PINs, NGC secrets).</summary>
    public static async ValueTask<StandardDevice> CreateAsync(DeviceProfile profile, Random random, WindowsHelloOptions? hello = null,
        DmExecutorOptions? executor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(random);
        hello ??= WindowsHelloOptions.Default;
        var tree = DmTree.ForProfile(profile);
        DdfNodeStore.CreateDeviceInstances(tree, profile);
        AppInventoryCsp.CreateAppNodes(tree, profile);
        var windowsHello = await WindowsHello.CreateAsync(profile, tree, random, hello, cancellationToken).ConfigureAwait(false);
        var handlers = StandardCsps.Create(profile, hello.Time, windowsHello);
        return new StandardDevice(profile, tree, windowsHello, handlers, new DmCommandExecutor(tree, handlers, executor ?? DmExecutorOptions.ForProfile(profile)));
    }
}
