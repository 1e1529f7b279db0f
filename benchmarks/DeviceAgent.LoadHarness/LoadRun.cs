using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DeviceAgent.Emulator.Devices;
using MockMdm.PinReset;

namespace DeviceAgent.LoadHarness;

/// <summary>
/// One load run: MockMdm in its own process, N devices enrolled and driven over loopback HTTP, then the plain Kestrel
/// baseline with the same client concurrency and message sizes. Every phase is bounded by count and time.
/// </summary>
public sealed class LoadRun(HarnessOptions options, TextWriter log)
{
    /// <summary>The tenant the harness gives MockMdm, so devices can set EnablePinRecovery under it.</summary>
    public const string TenantId = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

    private const string ApiKey = "load-harness-api-key";
    private const int MaxErrorSamples = 5;
    private readonly ConcurrentQueue<string> _errors = new();

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        var loadAverage = LoadAverage();
        var harnessDir = AppContext.BaseDirectory;
        var mockMdm = options.MockMdmPath ?? FindMockMdm(harnessDir);
        using var server = await ServerProcess.StartAsync(mockMdm,
            ["--in-memory", "--plain-http", "--no-push", "--api-key", ApiKey, "--tenant-id", TenantId, "--seed", options.Seed.ToString(CultureInfo.InvariantCulture)],
            "EnrollmentServer/Discovery.svc", TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        log.WriteLine($"MockMdm up at {server.BaseAddress}");

        var concurrency = Math.Min(options.Concurrency, options.Devices);
        using var sockets = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var counting = new CountingHandler(sockets);
        using var api = new HttpClient(counting, disposeHandler: false) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        api.DefaultRequestHeaders.Add("api-key", ApiKey);
        // Digits only: the service's PIN must meet the devices' default PIN policy (digits, no letters), or the
        // device refuses it (docs/pin-policy.md); the load run measures the successful flow.
        using var pinResetService = new PinResetService(new PinGenerationProfile { Uppercase = false, Lowercase = false, SpecialCharacters = false });
        pinResetService.AddTenant(TenantId);
        pinResetService.SetConsent(TenantId, PinResetApplication.Service, true);
        pinResetService.SetConsent(TenantId, PinResetApplication.Client, true);
        var pinResetClient = new InProcessPinResetServiceClient(pinResetService);

        // Warm up shared state (DDF schema, JIT) with one device that is not counted.
        (await LoadDevice.CreateAsync(-1, options.Seed, pinResetClient, options.Pbkdf2Iterations, cancellationToken).ConfigureAwait(false)).Dispose();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var devices = new LoadDevice[options.Devices];
        for (var i = 0; i < devices.Length; i++)
        {
            devices[i] = await LoadDevice.CreateAsync(i, options.Seed, pinResetClient, options.Pbkdf2Iterations, cancellationToken).ConfigureAwait(false);
            if (!await devices[i].EnablePinRecoveryAsync(TenantId, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"device {i} refused EnablePinRecovery");
            }
        }

        try
        {
            // Phase 1: enrollment.
            var enrolled = new bool[devices.Length];
            var keygenMs = RsaKeyGenerationMs();
            var enrollServerCpu = server.CpuTime;
            var enrollSelfCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var enrollClock = Stopwatch.StartNew();
            var enrollErrors = await ForEachAsync(devices.Length, concurrency, options.EnrollPhaseLimit, async i =>
            {
                await devices[i].EnrollAsync(counting, server.BaseAddress, cancellationToken).ConfigureAwait(false);
                enrolled[i] = true;
                return true;
            }).ConfigureAwait(false);
            var enrollSeconds = enrollClock.Elapsed.TotalSeconds;
            enrollServerCpu = server.CpuTime - enrollServerCpu;
            enrollSelfCpu = Process.GetCurrentProcess().TotalProcessorTime - enrollSelfCpu;
            var enrolledCount = enrolled.Count(e => e);
            log.WriteLine($"enrolled {enrolledCount}/{devices.Length} in {enrollSeconds:0.0} s ({enrollErrors} errors)");

            await AssignManagedIdsAsync(api, devices).ConfigureAwait(false);

            // Phase 2: the first session of every device (inventory Gets and push registration), then idle memory.
            var firstErrors = await ForEachAsync(devices.Length, concurrency, options.SessionPhaseLimit, async i =>
                enrolled[i] && Check(await devices[i].RunSessionAsync(cancellationToken).ConfigureAwait(false), i, "first session")).ConfigureAwait(false);
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            var idleBytes = (heapAfter - heapBefore) / (double)devices.Length;
            log.WriteLine($"first sessions done ({firstErrors} errors); idle {idleBytes / 1024:0.0} KB/device");

            // Phase 3: timed rounds: the admin queues an action, the device runs a session.
            var total = devices.Length * options.RoundsPerDevice;
            var latencies = new long[total];
            var passcodeRounds = 0;
            var dmBefore = counting.DmRequests;
            var apiBefore = counting.OtherRequests;
            var upBefore = counting.DmRequestBytes;
            var downBefore = counting.DmResponseBytes;
            var serverCpuBefore = server.CpuTime;
            var selfCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var sessionClock = Stopwatch.StartNew();
            var done = 0;
            var sessionErrors = await ForEachAsync(total, concurrency, options.SessionPhaseLimit, devices.Length, async k =>
            {
                var i = k % devices.Length;
                var round = (k / devices.Length) + 1;
                var device = devices[i];
                if (!enrolled[i] || device.ManagedDeviceId is null)
                {
                    return false;
                }

                var passcode = round % options.PasscodeEvery == 0;
                using (var queued = await api.PostAsync(
                    new Uri($"api/deviceManagement/managedDevices/{device.ManagedDeviceId}/{(passcode ? "resetPasscode" : "remoteLock")}", UriKind.Relative),
                    null, cancellationToken).ConfigureAwait(false))
                {
                    if (queued.StatusCode != HttpStatusCode.NoContent && !queued.IsSuccessStatusCode)
                    {
                        return Fail($"device {i}: queuing the action answered {(int)queued.StatusCode}");
                    }
                }

                var started = Stopwatch.GetTimestamp();
                var result = await device.RunSessionAsync(cancellationToken).ConfigureAwait(false);
                latencies[Interlocked.Increment(ref done) - 1] = Stopwatch.GetTimestamp() - started;
                if (!Check(result, i, passcode ? "New passcode session" : "Lock session"))
                {
                    return false;
                }

                if (passcode)
                {
                    Interlocked.Increment(ref passcodeRounds);
                    if (!await CheckPasscodeDoneAsync(api, device, i, cancellationToken).ConfigureAwait(false))
                    {
                        return false;
                    }
                }

                var unlocked = await device.UnlockAsync(cancellationToken).ConfigureAwait(false);
                return unlocked == DeviceAgent.Ngc.NgcOutcome.Success || Fail($"device {i}: the user could not unlock with their PIN: {unlocked}");
            }).ConfigureAwait(false);
            var sessionSeconds = sessionClock.Elapsed.TotalSeconds;
            var serverCpu = (server.CpuTime - serverCpuBefore).TotalSeconds;
            var selfCpu = (Process.GetCurrentProcess().TotalProcessorTime - selfCpuBefore).TotalSeconds;
            var sessions = done;
            var dmRequests = counting.DmRequests - dmBefore;
            var apiRequests = counting.OtherRequests - apiBefore;
            var up = dmRequests == 0 ? 0 : (int)((counting.DmRequestBytes - upBefore) / dmRequests);
            var down = dmRequests == 0 ? 0 : (int)((counting.DmResponseBytes - downBefore) / dmRequests);
            log.WriteLine($"{sessions} sessions in {sessionSeconds:0.0} s ({sessionErrors} errors)");
            var serverPeak = server.PeakMemoryBytes;
            var selfPeak = ServerProcess.PeakResidentBytes(Process.GetCurrentProcess());
            GC.KeepAlive(devices);

            // Phase 4: the baseline, same machine, same client concurrency, same message sizes.
            var (baselineRate, baselineErrors, baselinePeak) = await BaselineAsync(harnessDir, concurrency, Math.Max(up, 1), Math.Max(down, 1), cancellationToken).ConfigureAwait(false);
            var sessionsPerSecond = sessions / sessionSeconds;
            var ourRequestsPerSecond = (dmRequests + apiRequests) / sessionSeconds;
            Array.Sort(latencies, 0, sessions);
            return new LoadReport
            {
                Devices = devices.Length,
                Concurrency = concurrency,
                ProcessorCount = Environment.ProcessorCount,
                LoadAverageAtStart = loadAverage,
                Enrolled = enrolledCount,
                EnrollErrors = enrollErrors,
                EnrollSeconds = enrollSeconds,
                EnrollmentsPerSecond = enrolledCount / enrollSeconds,
                EnrollServerCpuPerDeviceMs = enrollServerCpu.TotalMilliseconds / Math.Max(1, enrolledCount),
                EnrollEmulatorCpuPerDeviceMs = enrollSelfCpu.TotalMilliseconds / Math.Max(1, enrolledCount),
                RsaKeyGenerationMs = keygenMs,
                IdleBytesPerDevice = idleBytes,
                Sessions = sessions,
                PasscodeRounds = passcodeRounds,
                SessionErrors = sessionErrors + firstErrors,
                SessionSeconds = sessionSeconds,
                SessionsPerSecond = sessionsPerSecond,
                LatencyP50Ms = Percentile(latencies, sessions, 0.50),
                LatencyP95Ms = Percentile(latencies, sessions, 0.95),
                LatencyP99Ms = Percentile(latencies, sessions, 0.99),
                DmRequestsPerSession = sessions == 0 ? 0 : dmRequests / (double)sessions,
                ApiRequestsPerSession = sessions == 0 ? 0 : apiRequests / (double)sessions,
                MeanClientMessageBytes = up,
                MeanServerMessageBytes = down,
                OurHttpRequestsPerSecond = ourRequestsPerSecond,
                BaselineRequestsPerSecond = baselineRate,
                BaselineErrors = baselineErrors,
                HttpRatioToBaseline = baselineRate == 0 ? 0 : ourRequestsPerSecond / baselineRate,
                SessionsRatioToBaseline = baselineRate == 0 ? 0 : sessionsPerSecond / baselineRate,
                ServerCpuSeconds = serverCpu,
                EmulatorCpuSeconds = selfCpu,
                ServerCpuPerSessionMs = sessions == 0 ? 0 : serverCpu * 1000 / sessions,
                EmulatorCpuPerSessionMs = sessions == 0 ? 0 : selfCpu * 1000 / sessions,
                ServerPeakBytes = serverPeak,
                EmulatorPeakBytes = selfPeak,
                BaselineServerPeakBytes = baselinePeak,
                ErrorSamples = [.. _errors],
            };
        }
        finally
        {
            foreach (var device in devices)
            {
                device?.Dispose();
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> for items 0..count-1 with <paramref name="workers"/> in flight until done or <paramref name="limit"/> passes; returns the number of failures.</summary>
    private Task<int> ForEachAsync(int count, int workers, TimeSpan limit, Func<int, Task<bool>> work) =>
        ForEachAsync(count, workers, limit, count, work);

    /// <summary>
    /// As above, with items striped over workers by <c>k % stripe % workers</c> and taken in order, so items of one
    /// device (k, k + stripe, ...) never run at the same time.
    /// </summary>
    private async Task<int> ForEachAsync(int count, int workers, TimeSpan limit, int stripe, Func<int, Task<bool>> work)
    {
        var failures = 0;
        var clock = Stopwatch.StartNew();
        async Task Worker(int w)
        {
            for (var k = w; k < count && clock.Elapsed < limit; k = NextItem(k, w))
            {

                try
                {
                    if (!await work(k).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException or DeviceAgent.Protocol.EnrollmentFaultException or JsonException)
                {
                    Fail($"item {k}: {e.GetType().Name}: {e.Message}");
                    Interlocked.Increment(ref failures);
                }
            }
        }

        int NextItem(int k, int w)
        {
            // The next item of worker w: the next device of its stripe in this round, else its first in the next round.
            var i = k % stripe;
            var round = k / stripe;
            return i + workers < stripe ? k + workers : ((round + 1) * stripe) + w;
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => Worker(w)))).ConfigureAwait(false);
        return failures;
    }

    private bool Check(DeviceAgent.Session.DmSessionResult result, int device, string what) =>
        result.Succeeded || Fail($"device {device}: {what} {result.Outcome}: {result.Reason}");

    private bool Fail(string error)
    {
        if (_errors.Count < MaxErrorSamples)
        {
            _errors.Enqueue(error);
        }

        return false;
    }

    /// <summary>The newest device action must be done: the device answered Exec LockAndRecoverPIN and gave a NewPINValue.</summary>
    private async Task<bool> CheckPasscodeDoneAsync(HttpClient api, LoadDevice device, int index, CancellationToken cancellationToken)
    {
        using var document = await api.GetFromJsonAsync<JsonDocument>(
            new Uri($"api/deviceManagement/managedDevices/{device.ManagedDeviceId}/deviceActionResults", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var actions = document?.RootElement.GetProperty("value");
        if (actions is not { ValueKind: JsonValueKind.Array } list || list.GetArrayLength() == 0)
        {
            return Fail($"device {index}: no device action results after a New passcode session");
        }

        var last = list[list.GetArrayLength() - 1];
        var state = last.TryGetProperty("actionState", out var s) ? s.GetString() : null;
        if (!string.Equals(state, "done", StringComparison.OrdinalIgnoreCase))
        {
            return Fail($"device {index}: New passcode action is '{state}': {(last.TryGetProperty("reason", out var r) ? r.GetString() : "")}; NGC: {device.RecentNgcEvents()}");
        }

        // The admin reads the new passcode from the console and tells the user.
        var passcode = last.TryGetProperty("passcode", out var p) ? p.GetString() : null;
        if (string.IsNullOrEmpty(passcode))
        {
            return Fail($"device {index}: the New passcode action is done but shows no passcode");
        }

        device.CurrentPin = passcode;
        return true;
    }

    private static async Task AssignManagedIdsAsync(HttpClient api, LoadDevice[] devices)
    {
        using var document = await api.GetFromJsonAsync<JsonDocument>(new Uri("api/deviceManagement/managedDevices", UriKind.Relative)).ConfigureAwait(false)
            ?? throw new InvalidOperationException("managedDevices answered null");
        var byDevId = devices.ToDictionary(d => d.Profile.DevId, StringComparer.Ordinal);
        foreach (var managed in document.RootElement.GetProperty("value").EnumerateArray())
        {
            if (managed.GetProperty("enrollmentDeviceId").GetString() is { } devId && byDevId.TryGetValue(devId, out var device))
            {
                device.ManagedDeviceId = managed.GetProperty("id").GetString();
            }
        }
    }

    private async Task<(double Rate, int Errors, long PeakBytes)> BaselineAsync(string harnessDir, int concurrency, int requestBytes, int responseBytes, CancellationToken cancellationToken)
    {
        using var baseline = await ServerProcess.StartAsync(Path.Combine(harnessDir, "DeviceAgent.LoadHarness.dll"),
            ["baseline-server", "--response-bytes", responseBytes.ToString(CultureInfo.InvariantCulture)], "", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = baseline.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var body = new byte[requestBytes];
        Array.Fill(body, (byte)'x');
        var requests = 0;
        var errors = 0;
        var clock = Stopwatch.StartNew();
        async Task Worker()
        {
            // Bounded by the duration and by a count no loopback run reaches.
            for (var n = 0; n < 10_000_000 && clock.Elapsed < options.BaselineDuration; n++)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/vnd.syncml.dm+xml");
                using var response = await client.PostAsync(new Uri(BaselineServer.EchoPath, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode && bytes.Length == responseBytes)
                {
                    Interlocked.Increment(ref requests);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker, cancellationToken))).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        log.WriteLine($"baseline: {requests} requests in {seconds:0.0} s");
        return (requests / seconds, errors, baseline.PeakMemoryBytes);
    }

    /// <summary>Mean wall time of one RSA-2048 key generation (the device key of MS-MDE2 enrollment), over 4 keys.</summary>
    private static double RsaKeyGenerationMs()
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 4; i++)
        {
            using var key = System.Security.Cryptography.RSA.Create(2048);
            _ = key.ExportParameters(false);
        }

        return clock.Elapsed.TotalMilliseconds / 4;
    }

    private static double Percentile(long[] sortedTicks, int count, double p) =>
        count == 0 ? 0 : sortedTicks[Math.Min(count - 1, (int)Math.Ceiling(p * count) - 1)] * 1000.0 / Stopwatch.Frequency;

    private static double LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) && double.TryParse(File.ReadAllText(path).Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : -1;
    }

    /// <summary>MockMdm.dll of the same configuration as the harness, found by walking up to the repository.</summary>
    private static string FindMockMdm(string harnessDir)
    {
        var configuration = harnessDir.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dir = new DirectoryInfo(harnessDir);
        for (var depth = 0; depth < 10 && dir is not null; depth++, dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "mockmdm", "MockMdm", "bin", configuration, "net10.0", "MockMdm.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"MockMdm.dll ({configuration}) not found above {harnessDir}; build mockmdm/MockMdm or pass --mockmdm");
    }
}
