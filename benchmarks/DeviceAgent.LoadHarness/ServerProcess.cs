using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DeviceAgent.LoadHarness;

/// <summary>A server the harness runs as its own process (`dotnet x.dll ...`) on 127.0.0.1, with its CPU time and peak memory.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastOutput = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The last lines the process wrote, for error messages.</summary>
    public string LastOutput
    {
        get
        {
            lock (_lastOutput)
            {
                return string.Join(Environment.NewLine, _lastOutput);
            }
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/> --urls http://127.0.0.1:port</c> and waits until GET <paramref name="readyPath"/> answers.</summary>
    public static async Task<ServerProcess> StartAsync(string dll, IEnumerable<string> args, string readyPath, TimeSpan readyLimit)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"cannot start the server: {dll} does not exist (build it first)", dll);
        }

        var port = FreeLoopbackPort();
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        // Per-request Information logs would measure the console, not the server.
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"dotnet {dll} did not start");
        var server = new ServerProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < readyLimit)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(dll)} exited with {process.ExitCode} while starting: {server.LastOutput}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri(baseAddress, readyPath)).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        server.Dispose();
        throw new TimeoutException($"{Path.GetFileName(dll)} did not answer GET {readyPath} within {readyLimit.TotalSeconds} s: {server.LastOutput}");
    }

    /// <summary>CPU time the process has used so far (user + kernel).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Peak resident set (Linux VmHWM), else PeakWorkingSet64.</summary>
    public long PeakMemoryBytes => PeakResidentBytes(_process);

    /// <summary>Peak resident set of <paramref name="process"/>: /proc/pid/status VmHWM on Linux, PeakWorkingSet64 elsewhere.</summary>
    public static long PeakResidentBytes(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var status = $"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        process.Refresh();
        return process.PeakWorkingSet64;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastOutput)
        {
            _lastOutput.Enqueue(line);
            while (_lastOutput.Count > 20)
            {
                _lastOutput.Dequeue();
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
