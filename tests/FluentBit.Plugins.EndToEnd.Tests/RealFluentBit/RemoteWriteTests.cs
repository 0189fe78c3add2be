using System;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// Pushes from plugins running in real Fluent Bit 5.1.1 to a real Prometheus 2.42 over HTTPS (its certificate checked
/// against <c>remote_write_tls_ca_file</c>): one instance serving and pushing every second with <c>workers 2</c>, whose
/// values arrive while Fluent Bit runs; one only pushing (<c>http_server off</c>) every hour, whose records reach
/// Prometheus through the push at Exit alone.
/// </summary>
[Trait("Category", FluentBitProcess.Category)]
public class RemoteWriteTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public void PluginsInFluentBitPushOverTlsWhileRunningAndOnceMoreAtExit()
    {
        using var pki = new TestCertificates();
        using PrometheusServer prometheus = PrometheusServer.Start("", [PrometheusServer.RemoteWriteReceiver], tls: pki);
        int[] ports = [Scrape.FreePort(), Scrape.FreePort()];
        string[] push = [$"remote_write_url={prometheus.RemoteWriteUrl}", $"remote_write_tls_ca_file={pki.CaFile}"];
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.TestExporter,
             "-i", "dummy", "-p", """dummy={"status":200,"latency":0.25}""", "-p", "samples=40", "-p", "rate=20",
             .. FluentBitRun.OutputArguments("test_exporter", ports[0], ["http_server=off", "add_labels=instance=push-only", "remote_write_interval=1h", .. push]),
             .. FluentBitRun.OutputArguments("test_exporter", ports[1], ["workers=2", "add_labels=instance=both", "remote_write_interval=1s", .. push])],
            ["test_exporter.1"]);
        run.Process.WaitForLog(@"\[ info\] \[test_exporter\.0\] pushing metrics to https://127\.0\.0\.1:\d+/api/v1/write every 3600 s");

        // While Fluent Bit runs: pushes arrive every second from the one instance, until they carry every record.
        run.WaitForProcessed("test_exporter.0", 40);
        run.WaitForProcessed("test_exporter.1", 40);
        Assert.True(
            SpinWait.SpinUntil(() => prometheus.Query("test_records_total{instance=\"both\"}") is [{ Value: 40 }], Hang),
            $"Prometheus never had the 40 records; log:\n{run.Process.Log}");
        Assert.Empty(prometheus.Query("test_records_total{instance=\"push-only\"}"));
        Assert.False(Scrape.IsListening(ports[0]), "http_server off still listens");
        Assert.Equal(40, Scrape.Metrics(ports[1])[PrometheusText.Key("test_records_total", ("instance", "both"))]);

        // The push at Exit carries the records of the instance that never pushed before.
        run.StopCleanly();
        var values = prometheus.Query("test_records_total").ToDictionary(r => r.Labels["instance"], r => r.Value);
        output.WriteLine(string.Join(", ", values.Select(v => $"{v.Key}={v.Value}")));
        Assert.Equal(40, values["push-only"]);
        Assert.Equal(40, values["both"]);
        Assert.Equal(40 * 0.25, Assert.Single(prometheus.Query("test_latency_seconds_total{instance=\"push-only\"}")).Value);
        Assert.DoesNotContain("failed", string.Join("\n", run.Process.Log.Split('\n').Where(l => l.Contains("push", StringComparison.Ordinal))));
    }
}
