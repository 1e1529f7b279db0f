using MockMdm.Enrollment;

namespace MockMdm.OmaDm;

/// <summary>
/// The WNS-like push trigger (docs/reference/omadm.md §4 package 0): POSTs a raw notification to the channel URI the device
/// reported, after which the device starts a server-initiated session (Alert 1200). A failed push loses nothing: the
/// device still polls.
/// </summary>
/// With <c>enabled</c> false nothing is sent (MockMdmOptions.PushEnabled).
public sealed class PushNotifier(HttpClient client, ILogger<PushNotifier> logger, bool enabled = true)
{
    /// <summary>Pushes to the device's channel; false when it has none or the POST failed.</summary>
    public async Task<bool> NotifyAsync(DeviceRecord device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!enabled || device.PushChannelUri is null)
        {
            return false;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, device.PushChannelUri)
            {
                Content = new ByteArrayContent([]),
            };
            request.Headers.TryAddWithoutValidation("X-WNS-Type", "wns/raw");
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("push to device {DeviceId} answered {Status}; it will pick its commands up at its next poll", device.Id, (int)response.StatusCode);
            }

            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            logger.LogWarning(ex, "push to device {DeviceId} failed; it will pick its commands up at its next poll", device.Id);
            return false;
        }
    }
}
