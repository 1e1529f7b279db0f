using System.Net;
using System.Net.Http.Headers;
using DeviceAgent.Enrollment;
using DeviceAgent.Protocol;

namespace DeviceAgent.Fuzzing.Targets;

/// <summary>
/// The device's MS-MDE2 client (EnrollmentClient.EnrollAsync) reading a hostile server. The input's first byte picks
/// the answer it replaces (bits 0-1: discovery, STS page, policy, enrollment; bit 2: answer with HTTP 500 instead of
/// 200); the rest is that answer's body. The other answers are the ones a real server gave (<see cref="EnrollmentWorld"/>).
/// Refusal: EnrollmentFaultException, the client's one documented failure (docs/reference/enrollment.md).
/// </summary>
internal sealed class EnrollmentClientTarget : FuzzTarget
{
    public override string Name => "soap-client";

    public override string Description => "device enrollment client (EnrollmentClient.EnrollAsync) against one hostile answer";

    public override void Prepare() => _ = Run([0]);

    public override FuzzOutcome Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return FuzzOutcome.Rejected;
        }

        var world = EnrollmentWorld.Instance;
        using var handler = new ScriptedServer(world, step: input[0] & 3, status: (input[0] & 4) != 0 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK, input[1..]);
        using var client = new EnrollmentClient(handler);
        try
        {
            var result = client.EnrollAsync(world.Request).GetAwaiter().GetResult();
            result.ClientCertificate.Dispose();
            result.RootCertificate.Dispose();
            return FuzzOutcome.Accepted;
        }
        catch (EnrollmentFaultException)
        {
            return FuzzOutcome.Rejected;
        }
    }

    /// <summary>
    /// Answers as the recorded server did, except for one answer, which is the input. Like the device's real handler
    /// (SocketsHttpHandler), it refuses a request whose URL is not http or https with NotSupportedException.
    /// </summary>
    private sealed class ScriptedServer(EnrollmentWorld world, int step, HttpStatusCode status, byte[] body) : HttpMessageHandler
    {
        private int _gets;
        private int _posts;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is not { Scheme: "http" or "https" })
            {
                throw new NotSupportedException($"The '{request.RequestUri?.Scheme}' scheme is not supported.");
            }

            // Steps in the order the client takes them: 0 POST discovery, 1 GET STS, 2 POST policy, 3 POST enrollment.
            HttpExchange recorded;
            int thisStep;
            if (request.Method == HttpMethod.Get)
            {
                if (_gets++ == 0)
                {
                    return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) });
                }

                recorded = world.StsPage;
                thisStep = 1;
            }
            else
            {
                var index = _posts++;
                var posts = world.Posts;
                recorded = posts[Math.Min(index, posts.Count - 1)];
                thisStep = index == 0 ? 0 : index + 1;
            }

            var response = thisStep == step
                ? new HttpResponseMessage(status) { Content = new ByteArrayContent(body) }
                : new HttpResponseMessage(recorded.Status) { Content = new ByteArrayContent(recorded.ResponseBody) };
            if (recorded.ContentType is { } type)
            {
                response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }

            return Task.FromResult(response);
        }
    }
}
