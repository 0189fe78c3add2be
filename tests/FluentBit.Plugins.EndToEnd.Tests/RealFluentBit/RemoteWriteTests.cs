using System;
using System.Collections.Generic;
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

    /// <summary>
    /// Basic auth on the push, in Fluent Bit: three instances push to a receiver that requires <c>tenant:s3cret</c>. The
    /// right one's series arrive with exactly the values its endpoint serves; a wrong user and a wrong password are each
    /// refused (401), counted as rejected and logged, and never accepted.
    /// </summary>
    [Fact]
    public void PushCredentialsAreSentAndAWrongUserOrPasswordIsRefused()
    {
        using var receiver = new RemoteWriteReceiver { RequiredAuthorization = "Basic " + Convert.ToBase64String("tenant:s3cret"u8.ToArray()) };
        (string Instance, string User, string Password)[] instances = [("right", "tenant", "s3cret"), ("wrong-user", "guess", "s3cret"), ("wrong-password", "tenant", "guess")];
        int[] ports = [Scrape.FreePort(), Scrape.FreePort(), Scrape.FreePort()];
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.TestExporter, "-i", "dummy", "-p", """dummy={"status":200,"latency":0.25}""", "-p", "samples=30", "-p", "rate=30",
             .. instances.SelectMany((i, n) => FluentBitRun.OutputArguments("test_exporter", ports[n],
                 $"add_labels=instance={i.Instance}", $"remote_write_url={receiver.Url}", "remote_write_interval=1s",
                 $"remote_write_user={i.User}", $"remote_write_passwd={i.Password}"))],
            ["test_exporter.0", "test_exporter.1", "test_exporter.2"]);
        for (int n = 0; n < instances.Length; n++)
        {
            run.WaitForProcessed($"test_exporter.{n}", 30);
        }

        string right = PrometheusText.Key("test_records_total", ("instance", "right"));
        Assert.True(
            SpinWait.SpinUntil(() => receiver.Pushes.Any(p => p.Reply.Status == 204 && p.Values().GetValueOrDefault(right) == 30), Hang),
            $"no accepted push carried the 30 records; log:\n{run.Process.Log}");
        ReceivedPush accepted = receiver.Pushes.Last(p => p.Reply.Status == 204 && p.Values().GetValueOrDefault(right) == 30);
        Dictionary<string, double> scraped = Scrape.Metrics(ports[0]);
        foreach ((string key, double value) in accepted.Values().Where(v => !v.Key.StartsWith(Scrape.SelfMetricsPrefix, StringComparison.Ordinal)))
        {
            Assert.Equal(scraped[key], value);
        }

        Assert.Equal(scraped.Count, accepted.Values().Count(v => !v.Key.StartsWith(Scrape.SelfMetricsPrefix, StringComparison.Ordinal)));
        for (int n = 1; n < instances.Length; n++)
        {
            int port = ports[n];
            string rejected = PrometheusText.Key("fluentbit_plugin_remote_write_pushes_total", ("result", "rejected"));
            Assert.True(SpinWait.SpinUntil(() => Scrape.SelfMetrics(port).GetValueOrDefault(rejected) >= 1, Hang), $"{instances[n].Instance}: no rejected push counted");
            Assert.Equal(0, Scrape.SelfMetrics(port).GetValueOrDefault("fluentbit_plugin_remote_write_samples_sent_total"));
            string label = PrometheusText.Key("test_records_total", ("instance", instances[n].Instance));
            Assert.DoesNotContain(receiver.Pushes, p => p.Reply.Status == 204 && p.Values().ContainsKey(label));
        }

        // One line per instance per 10 s at most, so at least one each in this run.
        Assert.True(run.Process.Count(@"\[error\] \[test_exporter\.1\] .*refused a push of \d+ samples: HTTP 401") >= 1, run.Process.Log);
        Assert.True(run.Process.Count(@"\[error\] \[test_exporter\.2\] .*refused a push of \d+ samples: HTTP 401") >= 1, run.Process.Log);
        run.StopCleanly();
    }
}
