using System.Collections.Generic;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit.Compatibility;

/// <summary>
/// A published sample as the compatibility tier feeds it: one dummy record, repeated, and the exact series that
/// <c>n</c> copies of it make.
/// </summary>
public sealed record CompatSample(string Name, string Dummy)
{
    public static readonly CompatSample Cpu = new(
        "cpu_exporter",
        """{"cpu_p":12.5,"user_p":10.0,"system_p":2.5,"cpu0.p_cpu":7.0,"cpu0.p_user":5.0,"cpu0.p_system":2.0}""");

    public static readonly CompatSample AccessLog = new(
        "access_log_exporter",
        """{"remote":"10.0.0.7","method":"GET","path":"/api/items","status":200,"bytes":100,"request_time":0.25,"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}""");

    public static CompatSample Named(string name) => name == Cpu.Name ? Cpu : AccessLog;

    /// <summary>The published .so.</summary>
    public string Library => Name == Cpu.Name ? Artifacts.CpuExporter : Artifacts.AccessLogExporter;

    /// <summary>The series of <paramref name="records"/> copies of <see cref="Dummy"/>, and the plugin's own count of them.</summary>
    public void AssertSeries(int port, int records)
    {
        Dictionary<string, double> all = PrometheusText.Parse(Scrape.Text(port));
        Assert.Equal(records, all["fluentbit_plugin_records_decoded_total"]);
        if (Name == Cpu.Name)
        {
            Assert.Equal(12.5, all[PrometheusText.Key("cpu_usage_percent", ("cpu", "all"), ("mode", "total"))]);
            Assert.Equal(2.5, all[PrometheusText.Key("cpu_usage_percent", ("cpu", "all"), ("mode", "system"))]);
            Assert.Equal(7.0, all[PrometheusText.Key("cpu_usage_percent", ("cpu", "cpu0"), ("mode", "total"))]);
            Assert.Equal(5.0, all[PrometheusText.Key("cpu_usage_percent", ("cpu", "cpu0"), ("mode", "user"))]);
        }
        else
        {
            Assert.Equal(records, all[PrometheusText.Key("http_requests_total", ("method", "GET"), ("status", "200"))]);
            Assert.Equal(100.0 * records, all[PrometheusText.Key("http_response_bytes_total", ("method", "GET"))]);
            Assert.Equal(records, all[PrometheusText.Key("http_request_duration_seconds_count", ("method", "GET"))]);
            Assert.Equal(0.25 * records, all[PrometheusText.Key("http_request_duration_seconds_sum", ("method", "GET"))]);
        }
    }

    public override string ToString() => Name;
}
