using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DeviceAgent.LoadHarness;

/// <summary>The figures of one load run (benchmarks/README.md explains each).</summary>
public sealed record LoadReport
{
    public required int Devices { get; init; }
    public required int Concurrency { get; init; }
    public required int ProcessorCount { get; init; }
    public required double LoadAverageAtStart { get; init; }
    public required int Enrolled { get; init; }
    public required int EnrollErrors { get; init; }
    public required double EnrollSeconds { get; init; }
    public required double EnrollmentsPerSecond { get; init; }
    public required double EnrollServerCpuPerDeviceMs { get; init; }
    public required double EnrollEmulatorCpuPerDeviceMs { get; init; }
    public required double RsaKeyGenerationMs { get; init; }
    public required double IdleBytesPerDevice { get; init; }
    public required int Sessions { get; init; }
    public required int PasscodeRounds { get; init; }
    public required int SessionErrors { get; init; }
    public required double SessionSeconds { get; init; }
    public required double SessionsPerSecond { get; init; }
    public required double LatencyP50Ms { get; init; }
    public required double LatencyP95Ms { get; init; }
    public required double LatencyP99Ms { get; init; }
    public required double DmRequestsPerSession { get; init; }
    public required double ApiRequestsPerSession { get; init; }
    public required int MeanClientMessageBytes { get; init; }
    public required int MeanServerMessageBytes { get; init; }
    public required double OurHttpRequestsPerSecond { get; init; }
    public required double BaselineRequestsPerSecond { get; init; }
    public required int BaselineErrors { get; init; }
    public required double HttpRatioToBaseline { get; init; }
    public required double SessionsRatioToBaseline { get; init; }
    public required double ServerCpuSeconds { get; init; }
    public required double EmulatorCpuSeconds { get; init; }
    public required double ServerCpuPerSessionMs { get; init; }
    public required double EmulatorCpuPerSessionMs { get; init; }
    public required long ServerPeakBytes { get; init; }
    public required long EmulatorPeakBytes { get; init; }
    public required long BaselineServerPeakBytes { get; init; }
    public IReadOnlyList<string> ErrorSamples { get; init; } = [];

    public int TotalErrors => EnrollErrors + SessionErrors + BaselineErrors;

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, s_indented);

    /// <summary>The human-readable summary printed at the end of a run.</summary>
    public string ToText()
    {
        static string F(double v, string format = "0.0") => v.ToString(format, CultureInfo.InvariantCulture);
        static string Mb(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture) + " MB";
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"load run: {Devices} devices, concurrency {Concurrency}, {ProcessorCount} cores, load average {F(LoadAverageAtStart, "0.00")} at start");
        s.AppendLine(CultureInfo.InvariantCulture, $"enrollment:   {Enrolled} enrolled, {EnrollErrors} errors, {F(EnrollSeconds)} s, {F(EnrollmentsPerSecond)} /s; CPU per enrollment: server {F(EnrollServerCpuPerDeviceMs)} ms, emulator {F(EnrollEmulatorCpuPerDeviceMs)} ms (one RSA-2048 key generation: {F(RsaKeyGenerationMs)} ms)");
        s.AppendLine(CultureInfo.InvariantCulture, $"idle device:  {F(IdleBytesPerDevice / 1024)} KB per enrolled device (GC heap delta)");
        s.AppendLine(CultureInfo.InvariantCulture, $"sessions:     {Sessions} ({PasscodeRounds} New passcode), {SessionErrors} errors, {F(SessionSeconds)} s, {F(SessionsPerSecond)} sessions/s");
        s.AppendLine(CultureInfo.InvariantCulture, $"latency:      p50 {F(LatencyP50Ms)} ms, p95 {F(LatencyP95Ms)} ms, p99 {F(LatencyP99Ms)} ms");
        s.AppendLine(CultureInfo.InvariantCulture, $"per session:  {F(DmRequestsPerSession, "0.00")} OMA-DM POSTs + {F(ApiRequestsPerSession, "0.00")} API POSTs; messages {MeanClientMessageBytes} B up, {MeanServerMessageBytes} B down");
        s.AppendLine(CultureInfo.InvariantCulture, $"baseline:     {F(BaselineRequestsPerSecond)} plain Kestrel req/s ({BaselineErrors} errors); ours {F(OurHttpRequestsPerSecond)} req/s = {F(HttpRatioToBaseline, "0.000")} of baseline; sessions/s vs baseline req/s {F(SessionsRatioToBaseline, "0.000")}");
        s.AppendLine(CultureInfo.InvariantCulture, $"cpu:          server {F(ServerCpuSeconds)} s ({F(ServerCpuPerSessionMs, "0.00")} ms/session), emulator {F(EmulatorCpuSeconds)} s ({F(EmulatorCpuPerSessionMs, "0.00")} ms/session)");
        s.AppendLine(CultureInfo.InvariantCulture, $"peak memory:  server {Mb(ServerPeakBytes)}, emulator {Mb(EmulatorPeakBytes)}, baseline server {Mb(BaselineServerPeakBytes)}");
        foreach (var sample in ErrorSamples)
        {
            s.AppendLine("error: " + sample);
        }

        s.Append(CultureInfo.InvariantCulture, $"result: {(TotalErrors == 0 ? "OK" : "ERRORS")} ({TotalErrors} errors)");
        return s.ToString();
    }
}
