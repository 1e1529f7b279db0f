using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace DeviceAgent.LoadHarness;

/// <summary>
/// The baseline: a plain Kestrel endpoint that reads the request body and answers a body of a given size, so the
/// harness can measure what this machine's HTTP stack does with messages of our sizes.
/// </summary>
public static class BaselineServer
{
    public const string EchoPath = "/echo";

    /// <summary>Runs until killed, answering <paramref name="responseBytes"/> bytes on <paramref name="urls"/> (HarnessCommandLine parses both).</summary>
    public static void Run(int responseBytes, string urls)
    {
        var body = new byte[responseBytes];
        Array.Fill(body, (byte)'x');
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        app.MapGet("/", () => Results.Ok());
        app.MapPost(EchoPath, async (HttpContext context) =>
        {
            // Read the whole request like the OMA-DM endpoint does, then answer the fixed-size body.
            var buffer = new byte[16 * 1024];
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false) > 0)
            {
            }

            context.Response.ContentType = "application/vnd.syncml.dm+xml";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        });
        app.Run();
    }
}
