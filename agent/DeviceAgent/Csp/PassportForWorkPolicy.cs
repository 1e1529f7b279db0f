using System.Globalization;
using DeviceAgent.Dm;
using DeviceAgent.Ngc.Policy;

namespace DeviceAgent.Csp;

/// <summary>
/// Reads what the PassportForWork trees of a device hold for Windows Hello (docs/reference/passportforwork.md): the PINComplexity of every
/// tenant in device and user scope, and which tenant turned EnablePinRecovery on. Each answer is a snapshot taken
/// under the tree's node lock (<see cref="DmTree.Read{T}"/>), so it is safe beside a running session.
/// </summary>
public static class PassportForWorkPolicy
{
    /// <summary>The device tree root (docs/reference/passportforwork.md §1).</summary>
    public const string DeviceRoot = "./Device/Vendor/MSFT/PassportForWork";

    /// <summary>The user tree root (docs/reference/passportforwork.md §2).</summary>
    public const string UserRoot = "./User/Vendor/MSFT/PassportForWork";

    /// <summary>
    /// The PINComplexity of every {TenantId} under ./Device and, when <paramref name="userId"/> is the signed-in user,
    /// under ./User; the NGC policy merges them (docs/pin-policy.md). A stored value that no longer passes the DDF
    /// range counts as unset rather than failing every PIN operation.
    /// </summary>
    public static IReadOnlyList<PinComplexity> PinComplexityScopes(DmTree tree, string userId)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return tree.Read(t =>
        {
            var scopes = new List<PinComplexity>();
            foreach (var tenant in Tenants(t, DeviceRoot, userId))
            {
                scopes.Add(Read(tenant.FindChild("Policies")?.FindChild("PINComplexity")));
            }

            foreach (var tenant in Tenants(t, UserRoot, userId))
            {
                scopes.Add(Read(tenant.FindChild("Policies")?.FindChild("PINComplexity")));
            }

            return scopes;
        });
    }

    /// <summary>
    /// The tenant whose Policies/EnablePinRecovery is true: device scope first (the node Intune sets, docs/reference/passportforwork.md §5),
    /// then the user scope of <paramref name="userId"/> when signed in; in tree order within a scope. Null when none.
    /// </summary>
    public static string? RecoveryTenant(DmTree tree, string? userId)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return tree.Read(t =>
        {
            foreach (var root in new[] { DeviceRoot, UserRoot })
            {
                foreach (var tenant in Tenants(t, root, userId))
                {
                    if (tenant.FindChild("Policies")?.FindChild("EnablePinRecovery")?.Value == "true")
                    {
                        return tenant.Name;
                    }
                }
            }

            return null;
        });
    }

    /// <summary>
    /// Applies one PINComplexity leaf value to <paramref name="scope"/>; false with <paramref name="error"/> when the
    /// value is outside the DDF range or enum (docs/reference/passportforwork.md §1: lengths [4-127], classes 0/1/2, History [0-50],
    /// Expiration [0-730]). The range checks are PinComplexity's own.
    /// </summary>
    public static bool TryApply(PinComplexity scope, string leaf, string value, out PinComplexity updated, out string? error)
    {
        ArgumentNullException.ThrowIfNull(scope);
        updated = scope;
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            error = $"PINComplexity/{leaf} needs an integer, not '{value}'";
            return false;
        }

        try
        {
            updated = leaf switch
            {
                "MinimumPINLength" => scope with { MinimumPINLength = number },
                "MaximumPINLength" => scope with { MaximumPINLength = number },
                "UppercaseLetters" => scope with { UppercaseLetters = (PinCharacterRule)number },
                "LowercaseLetters" => scope with { LowercaseLetters = (PinCharacterRule)number },
                "SpecialCharacters" => scope with { SpecialCharacters = (PinCharacterRule)number },
                "Digits" => scope with { Digits = (PinCharacterRule)number },
                "History" => scope with { History = number },
                "Expiration" => scope with { Expiration = number },
                _ => throw new ArgumentException($"PINComplexity has no leaf named {leaf}", nameof(leaf)),
            };
            error = null;
            return true;
        }
        catch (ArgumentOutOfRangeException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>The {TenantId} nodes under <paramref name="root"/> (./User only when <paramref name="userId"/> is signed in).</summary>
    private static IEnumerable<DmNode> Tenants(DmTree tree, string root, string? userId)
    {
        if (root == UserRoot && (userId is null || tree.SignedInUser != userId))
        {
            yield break;
        }

        if (tree.Find(root) is not { } node)
        {
            yield break;
        }

        foreach (var child in node.Children)
        {
            if (child.Schema.IsDynamicName)
            {
                yield return child;
            }
        }
    }

    private static PinComplexity Read(DmNode? pinComplexity)
    {
        var scope = PinComplexity.Unconfigured;
        if (pinComplexity is null)
        {
            return scope;
        }

        foreach (var leaf in pinComplexity.Children)
        {
            if (leaf.Value is { } value && TryApply(scope, leaf.Name, value, out var updated, out _))
            {
                scope = updated;
            }
        }

        return scope;
    }
}

/// <summary>
/// The NGC policy source of a device: local PINComplexity scopes (none by default) merged with what PassportForWork
/// holds in the tree, by the NGC policy's own merge (PinPolicy.Resolve, docs/pin-policy.md). Values are read at each
/// call, so an Atomic rollback of a policy node rolls the policy back with it.
/// </summary>
public sealed class PassportForWorkPolicySource : IPinPolicySource
{
    private readonly DmTree _tree;
    private readonly IReadOnlyList<PinComplexity> _local;
    private readonly PinPolicyMergeOptions? _mergeOptions;

    /// <summary>Reads PINComplexity from <paramref name="tree"/> and merges it with the <paramref name="local"/> rules.</summary>
    public PassportForWorkPolicySource(DmTree tree, IEnumerable<PinComplexity>? local = null, PinPolicyMergeOptions? mergeOptions = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        _tree = tree;
        _local = local?.ToArray() ?? [];
        _mergeOptions = mergeOptions;
    }

    /// <inheritdoc/>
    public PinPolicy GetPolicy(string userId) =>
        PinPolicy.Resolve([.. _local, .. PassportForWorkPolicy.PinComplexityScopes(_tree, userId)], _mergeOptions);
}
