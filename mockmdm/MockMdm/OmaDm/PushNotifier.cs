using MockMdm.Enrollment;
using MockMdm.Observability;

namespace MockMdm.OmaDm;

/// <summary>
/// The WNS-like push trigger (docs/reference/omadm.md §4 package 0): POSTs a raw notification to the channel URI the device
/// reported, after which the device starts a server-initiated session (Alert 1200). A failed push loses nothing: the
/// device still polls. The channel is device input, so it is checked against <see cref="PushChannelPolicy"/> again
/// here (a store written by an older build may hold any URI), redirects are not followed, and the wait is bounded by
/// <c>timeout</c>: whatever the channel does, the caller gets an answer (docs/security.md "Push").
/// </summary>
/// With <c>enabled</c> false nothing is sent (MockMdmOptions.PushEnabled).
public sealed class PushNotifier(HttpClient client, PushChannelPolicy policy, TimeSpan timeout, ILogger<PushNotifier> logger, bool enabled = true)
{
    /// <summary>Pushes to the device's channel; false when it has none, it is refused, or the POST failed or timed out.</summary>
    public async Task<bool> NotifyAsync(DeviceRecord device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!enabled || device.PushChannelUri is null)
        {
            return false;
        }

        if (policy.Refusal(device.PushChannelUri) is { } refusal)
        {
            logger.PushNotSent(device.Id, refusal);
            return false;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, device.PushChannelUri)
            {
                Content = new ByteArrayContent([]),
            };
            request.Headers.TryAddWithoutValidation("X-WNS-Type", "wns/raw");
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            using var response = await client.SendAsync(request, bounded.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                logger.PushAnswered(device.Id, (int)response.StatusCode);
            }

            return response.IsSuccessStatusCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.PushAbandoned(device.Id, timeout);
            return false;
        }
        // A push is best effort: whatever the channel or handler throws is logged, never the admin's error.
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.PushFailed(ex, device.Id);
            return false;
        }
    }
}
