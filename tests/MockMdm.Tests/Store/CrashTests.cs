using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DeviceAgent.Enrollment;

namespace MockMdm.Tests.Store;

/// <summary>
/// The server as a separate process with a SQLite file: actions are queued through the API, the process is killed
/// with SIGKILL while requests are in flight, and after a restart every acknowledged (204) action is still there.
/// </summary>
[NonParallelizable]
public class CrashTests
{
    private const string ApiKey = "crash-test-key";
    private const int Acknowledged = 1000;

    [Test]
    public async Task EveryAcknowledgedAction_SurvivesAKill9()
    {
        var dir = Path.Combine(Path.GetTempPath(), "mockmdm-crash-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var db = Path.Combine(dir, "mockmdm.db");
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 16 };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseUrl };
        http.DefaultRequestHeaders.Add("api-key", ApiKey);
        var server = Start(port, db);
        try
        {
            await WaitUntilUpAsync(http, server);
            using var client = new EnrollmentClient(handler);
            var devices = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                await client.EnrollAsync(new EnrollmentRequest
                {
                    DiscoveryUrl = new Uri(baseUrl, "/EnrollmentServer/Discovery.svc"),
                    UserPrincipalName = "crash@contoso.com",
                    DeviceId = $"CRASH-{i}",
                    AuthenticationQuery = new Dictionary<string, string> { ["join"] = "AzureADJoined" },
                });
            }

            using (var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/deviceManagement/managedDevices", UriKind.Relative))))
            {
                devices.AddRange(list.RootElement.GetProperty("value").EnumerateArray().Select(d => d.GetProperty("id").GetString()!));
            }

            // More requests than the target, so some are in flight when the process dies.
            var acked = new ConcurrentDictionary<string, string>();
            using var stop = new CancellationTokenSource();
            var next = -1;
            var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref next);
                    if (n >= Acknowledged * 2)
                    {
                        return;
                    }

                    var device = devices[n % devices.Count];
                    var action = n % 2 == 0 ? "resetPasscode" : "remoteLock";
                    try
                    {
                        using var response = await http.PostAsync(
                            new Uri($"/api/deviceManagement/managedDevices/{device}/{action}", UriKind.Relative), null, stop.Token);
                        if (response.StatusCode == HttpStatusCode.NoContent)
                        {
                            acked[response.Headers.GetValues("X-MockMdm-ActionId").Single()] = device;
                            if (acked.Count >= Acknowledged)
                            {
                                server.Kill(entireProcessTree: true);
                                await stop.CancelAsync();
                            }
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                    {
                        return;
                    }
                }
            })).ToArray();
            await Task.WhenAll(workers);
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Assert.That(acked, Has.Count.GreaterThanOrEqualTo(Acknowledged));

            server.Dispose();
            server = Start(port, db);
            await WaitUntilUpAsync(http, server);
            var stored = new HashSet<string>();
            var queued = 0;
            foreach (var device in devices)
            {
                using var actions = JsonDocument.Parse(await http.GetStringAsync(
                    new Uri($"/api/deviceManagement/managedDevices/{device}/deviceActionResults", UriKind.Relative)));
                stored.UnionWith(actions.RootElement.GetProperty("value").EnumerateArray().Select(a => a.GetProperty("id").GetString()!));
                using var commands = JsonDocument.Parse(await http.GetStringAsync(
                    new Uri($"/api/deviceManagement/managedDevices/{device}/commands", UriKind.Relative)));
                queued += commands.RootElement.GetProperty("value").EnumerateArray().Count(c => c.GetProperty("origin").GetString() == "action");
            }

            Assert.That(acked.Keys.Where(id => !stored.Contains(id)), Is.Empty, "acknowledged actions lost in the crash");
            Assert.That(queued, Is.EqualTo(stored.Count), "every stored action has its queued command (same transaction)");
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }

            server.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Process Start(int port, string db)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "MockMdm.dll"),
                "--urls", $"http://127.0.0.1:{port}", "--db", db, "--api-key", ApiKey,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilUpAsync(HttpClient http, Process server)
    {
        // Bounded: up to 600 tries 100 ms apart; this is a readiness wait, not a speed assertion.
        for (var attempt = 0; attempt < 600; attempt++)
        {
            Assert.That(server.HasExited, Is.False, "the server process exited during start");
            try
            {
                using var response = await http.GetAsync(new Uri("/EnrollmentServer/Discovery.svc", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("the server did not start listening");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
