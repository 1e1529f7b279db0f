using System.Globalization;
using System.Text;

namespace DeviceAgent.Emulator.Fleet;

/// <summary>The end-of-run summary as rows (the CLI draws them as a table) and as plain text for logs and CI.</summary>
public static class FleetSummary
{
    /// <summary>The summary rows; <paramref name="serverCertificates"/> says how TLS certificates were verified (docs/emulator.md "Trust").</summary>
    public static IReadOnlyList<(string Metric, string Value)> Rows(FleetSnapshot s, int devices, string? serverCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        var rows = new List<(string, string)>
        {
            ("devices", $"{s.Finished}/{devices} finished"),
            ("enrolled", Num(s.Enrolled)),
            ("sessions", Num(s.Sessions)),
        };
        foreach (var (code, count) in s.CommandsByStatus)
        {
            rows.Add(($"commands {code}", Num(count)));
        }

        rows.Add(("actions done", Num(s.ActionsDone)));
        rows.Add(("actions failed", Num(s.ActionsFailed)));
        rows.Add(("errors", Num(s.Errors)));
        rows.Add(("protocol warnings", Num(s.ProtocolWarnings)));
        rows.Add(("latency p50", Ms(s.LatencyP50Ms)));
        rows.Add(("latency p95", Ms(s.LatencyP95Ms)));
        rows.Add(("latency p99", Ms(s.LatencyP99Ms)));
        if (serverCertificates is not null)
        {
            rows.Add(("server certificates", serverCertificates));
        }

        return rows;
    }

    public static string ToText(FleetSnapshot s, int devices, string? serverCertificates = null)
    {
        var rows = Rows(s, devices, serverCertificates);
        var width = rows.Max(r => r.Metric.Length);
        var sb = new StringBuilder();
        foreach (var (metric, value) in rows)
        {
            sb.Append(metric.PadRight(width)).Append("  ").Append(value).Append('\n');
        }

        foreach (var error in s.ErrorSamples)
        {
            sb.Append("error: ").Append(error).Append('\n');
        }

        foreach (var warning in s.ProtocolWarningSamples)
        {
            sb.Append("protocol warning: ").Append(warning).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>One progress line for non-interactive output.</summary>
    public static string ProgressLine(FleetSnapshot s, int devices) =>
        string.Create(CultureInfo.InvariantCulture, $"fleet: {s.Finished}/{devices} done, {s.Enrolled} enrolled, {s.Sessions} sessions, {s.ActionsDone} actions done, {s.ActionsFailed} failed, {s.Errors} errors");

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Ms(double? ms) => ms is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.0} ms") : "-";
}
