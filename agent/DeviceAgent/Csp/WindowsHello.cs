using DeviceAgent.Dm;
using DeviceAgent.Ngc;
using DeviceAgent.Ngc.Policy;
using DeviceAgent.Ngc.Software;
using DeviceAgent.PinReset;

namespace DeviceAgent.Csp;

/// <summary>Choices for <see cref="WindowsHello.CreateAsync"/>; the defaults give a phone as the win10-mobile-1703 profile means it.</summary>
public sealed record WindowsHelloOptions
{
    /// <summary>A phone as the win10-mobile-1703 profile means it: system clock, no PIN reset service, one login key.</summary>
    public static WindowsHelloOptions Default { get; } = new();

    /// <summary>The clock of NGC lockouts, PIN expiry and the event log.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The PIN reset service the device talks to; null: the device has none, so EnablePinRecovery and LockAndRecoverPIN
    /// fail as on a phone that cannot reach it (docs/pin-reset.md).
    /// </summary>
    public IPinResetServiceClient? PinResetService { get; init; }

    /// <summary>The signed-in user's PIN at provisioning; null: one the device generates for the default policy.</summary>
    public string? InitialPin { get; init; }

    /// <summary>Keys provisioned with the container; whether they survive a reset shows destructive vs non-destructive.</summary>
    public IReadOnlyList<string> InitialKeys { get; init; } = [WindowsHello.LoginKeyName];

    /// <summary>PIN rules the device holds besides PassportForWork (local policy); none by default.</summary>
    public IReadOnlyList<PinComplexity> LocalPinPolicy { get; init; } = [];

    /// <summary>NGC provider settings; PolicySource, TimeProvider and SecretRandom are set by the composition.</summary>
    public SoftwareNgcOptions Ngc { get; init; } = new();

    /// <summary>Statuses of the PassportForWork CSP.</summary>
    public PassportForWorkOptions PassportForWork { get; init; } = PassportForWorkOptions.Default;

    /// <summary>Statuses of the RemoteLock CSP.</summary>
    public RemoteLockOptions RemoteLock { get; init; } = RemoteLockOptions.Default;
}

/// <summary>
/// The Windows Hello for Business side of one device: the software NGC key storage behind its event log, the PIN
/// policy fed by PassportForWork, the PIN reset service, and the PassportForWork and RemoteLock CSPs wired to them.
/// With a signed-in user, Hello is provisioned: a container with a PIN meeting the policy and the initial keys.
/// </summary>
public sealed class WindowsHello
{
    /// <summary>Name of the key provisioned with the container by default.</summary>
    public const string LoginKeyName = "login";

    private WindowsHello(DmTree tree, INgcKeyStorage ngc, NgcEventLog eventLog, PassportForWorkPolicySource policySource,
        IPinResetServiceClient? pinResetService, PassportForWorkCsp passportForWork, RemoteLockCsp remoteLock)
    {
        Tree = tree;
        Ngc = ngc;
        EventLog = eventLog;
        PolicySource = policySource;
        PinResetService = pinResetService;
        PassportForWork = passportForWork;
        RemoteLock = remoteLock;
    }

    /// <summary>The DM tree whose PassportForWork settings drive the PIN policy.</summary>
    public DmTree Tree { get; }

    /// <summary>The key storage every component uses; each call lands in <see cref="EventLog"/>.</summary>
    public INgcKeyStorage Ngc { get; }

    /// <summary>Every NGC operation with its outcome (no PINs or key material).</summary>
    public NgcEventLog EventLog { get; }

    /// <summary>The merged PIN policy (PassportForWork PINComplexity and local rules) the NGC storage enforces.</summary>
    public PassportForWorkPolicySource PolicySource { get; }

    /// <summary>The PIN reset service the device talks to, or null when it has none.</summary>
    public IPinResetServiceClient? PinResetService { get; }

    /// <summary>The PassportForWork CSP wired to this NGC storage and PIN reset service.</summary>
    public PassportForWorkCsp PassportForWork { get; }

    /// <summary>The RemoteLock CSP wired to this NGC storage, policy and PIN reset service.</summary>
    public RemoteLockCsp RemoteLock { get; }

    /// <summary>The handlers to register beside the standard ones.</summary>
    public IReadOnlyList<ICspHandler> Handlers => [PassportForWork, RemoteLock];

    /// <summary>The PIN the signed-in user was provisioned with, or null when nobody was signed in.</summary>
    public string? InitialPin { get; private set; }

    /// <summary>Builds the composition for <paramref name="profile"/> on <paramref name="tree"/>, drawing PINs and NGC secrets from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentException">The initial PIN breaks the device's policy.</exception>
    public static async ValueTask<WindowsHello> CreateAsync(DeviceProfile profile, DmTree tree, Random random, WindowsHelloOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(random);
        options ??= WindowsHelloOptions.Default;
        var eventLog = new NgcEventLog(options.Time);
        var policySource = new PassportForWorkPolicySource(tree, options.LocalPinPolicy);
        var software = new SoftwareNgcKeyStorage(options.Ngc with
        {
            TimeProvider = options.Time,
            PolicySource = policySource,
            SecretRandom = random.NextBytes,
        });
        var ngc = new LoggingNgcKeyStorage(software, eventLog);
        var service = options.PinResetService;
        var hello = new WindowsHello(tree, ngc, eventLog, policySource, service,
            new PassportForWorkCsp(ngc, service, options.PassportForWork),
            new RemoteLockCsp(profile, ngc, policySource, random, service, eventLog, options.RemoteLock));
        if (tree.SignedInUser is { } user)
        {
            await hello.ProvisionAsync(user, options, random, cancellationToken).ConfigureAwait(false);
        }

        return hello;
    }

    private async ValueTask ProvisionAsync(string user, WindowsHelloOptions options, Random random, CancellationToken cancellationToken)
    {
        var pin = options.InitialPin ?? PinGenerator.Generate(PolicySource.GetPolicy(user), random);
        var created = await Ngc.CreateContainerAsync(user, pin, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess && created.Outcome != NgcOutcome.ContainerAlreadyExists)
        {
            throw new ArgumentException($"Windows Hello for {user}: the initial PIN was refused: {created.Outcome}", nameof(options));
        }

        if (created.IsSuccess)
        {
            foreach (var key in options.InitialKeys)
            {
                _ = (await Ngc.CreateKeyAsync(user, pin, key, cancellationToken).ConfigureAwait(false)).Required;
            }
        }

        InitialPin = pin;

        // EnablePinRecovery may already be in the tree (a persisted device): the container follows it. A container
        // created just now has no protector, so with recovery unset there is nothing to disable (and nothing to log).
        // Under the tree's command lock, like a handler: no server message changes EnablePinRecovery half way.
        using (await Tree.EnterCommandsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!created.IsSuccess || PassportForWorkPolicy.RecoveryTenant(Tree, user) is not null)
            {
                await PassportForWork.ApplyRecoveryAsync(Tree, user, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
