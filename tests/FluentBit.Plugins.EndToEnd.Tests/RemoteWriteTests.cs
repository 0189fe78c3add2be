using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The published plugins push to a real Prometheus 2.42 (<c>--web.enable-remote-write-receiver</c>) from tools/flb-host:
/// the values Prometheus returns are exactly the series the plugin serves, for both samples; with basic auth; and
/// across a receiver stopped and started again. (The fault-injecting receiver's cases, 429 and 400, are in
/// Runtime.Tests/RemoteWritePushTests; memory with the receiver down is in SoakTests; real Fluent Bit in
/// RealFluentBit/RemoteWriteTests.)
/// </summary>
public class RemoteWriteTests(ITestOutputHelper output)
{
    // The password "s3cret" hashed with bcrypt (cost 5), as Prometheus's web config takes it: made with
    // python3 -c "import crypt; print(crypt.crypt('s3cret', '$2b$05$abcdefghijklmnopqrstuv'))".
    private const string BcryptOfS3cret = "$2b$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK";

    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Fact]
    public void TheCpuSamplePushesExactlyTheSeriesItServes()
    {
        using PrometheusServer prometheus = PrometheusServer.Start("", [PrometheusServer.RemoteWriteReceiver]);
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter,
            "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", "-p", "add_labels=instance=host-cpu",
            "-p", $"remote_write_url={prometheus.RemoteWriteUrl}", "-p", "remote_write_interval=1s",
            "--chunks", Path.Combine(Vectors.Root, "cpu"), "--wait");

        AssertPushedAsServed(prometheus, host, port, "host-cpu");
    }

    [Fact]
    public void TheAccessLogSamplePushesExactlyTheSeriesItServes()
    {
        using PrometheusServer prometheus = PrometheusServer.Start("", [PrometheusServer.RemoteWriteReceiver]);
        using var chunks = new ChunkFiles(AccessLogTests.Generate(2000, seed: 17).Select(l => l.ToJson(allStrings: false)), batch: 100);
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.AccessLogExporter,
            "-o", "access_log_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", "-p", "add_labels=instance=host-access",
            "-p", $"remote_write_url={prometheus.RemoteWriteUrl}", "-p", "remote_write_interval=1s",
            "--chunks", chunks.Path, "--wait");

        AssertPushedAsServed(prometheus, host, port, "host-access");
    }

    [Fact]
    public void BasicAuthIsSentAndAWrongPasswordIsRefusedCountedAndLoggedOnce()
    {
        using PrometheusServer prometheus = PrometheusServer.Start("", [PrometheusServer.RemoteWriteReceiver], ("pusher", BcryptOfS3cret), "s3cret");
        int[] ports = [Scrape.FreePort(), Scrape.FreePort()];
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.TestExporter,
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={ports[0]}", "-p", "add_labels=instance=good",
            "-p", $"remote_write_url={prometheus.RemoteWriteUrl}", "-p", "remote_write_interval=1s",
            "-p", "remote_write_user=pusher", "-p", "remote_write_passwd=s3cret",
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={ports[1]}", "-p", "add_labels=instance=bad",
            "-p", $"remote_write_url={prometheus.RemoteWriteUrl}", "-p", "remote_write_interval=1s",
            "-p", "remote_write_user=pusher", "-p", "remote_write_passwd=wrong",
            "--chunks", Path.Combine(Vectors.Root, "burst"), "--wait");
        host.WaitFor("flb-host: ready");
        double records = Scrape.Metrics(ports[0])[PrometheusText.Key("test_records_total", ("instance", "good"))];

        Assert.True(SpinWait.SpinUntil(() => Rejected(ports[1]) >= 3, Hang), "the wrong password was never refused three times");
        Assert.Equal(0, host.Stop());

        Assert.Equal(records, Assert.Single(prometheus.Query("test_records_total{instance=\"good\"}")).Value);
        Assert.Empty(prometheus.Query("test_records_total{instance=\"bad\"}"));
        string[] refusals = host.Stderr.Split('\n').Where(l => l.Contains("refused a push", StringComparison.Ordinal)).ToArray();
        output.WriteLine(string.Join("\n", refusals));
        Assert.Single(refusals);
        Assert.Contains("[test_exporter.1] http://127.0.0.1:", refusals[0]);
        Assert.Contains("HTTP 401 Unauthorized: Unauthorized; the push is dropped, not retried", refusals[0]);
        Assert.DoesNotContain("s3cret", host.Stderr);
        Assert.DoesNotContain("wrong", host.Stderr);
    }

    [Fact]
    public void AReceiverStoppedForAWhileGetsBackoffThenTheNewestValues()
    {
        using PrometheusServer prometheus = PrometheusServer.Start("", [PrometheusServer.RemoteWriteReceiver]);
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.TestExporter,
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
            "-p", $"remote_write_url={prometheus.RemoteWriteUrl}", "-p", "remote_write_interval=1s",
            "--chunks", Path.Combine(Vectors.Root, "burst"), "--repeat", "1000000000", "--rate", "2000", "--wait");
        host.WaitFor("flb-host: started");
        Assert.True(SpinWait.SpinUntil(() => Self(port, "fluentbit_plugin_remote_write_samples_sent_total") > 0, Hang), "no push succeeded");

        prometheus.Stop();
        double before = Self(port, Result("unreachable"));
        Thread.Sleep(TimeSpan.FromSeconds(12));
        double during = Self(port, Result("unreachable")) - before;
        double sentBefore = Self(port, "fluentbit_plugin_remote_write_samples_sent_total");
        prometheus.StartAgain();

        Assert.True(SpinWait.SpinUntil(() => host.Stderr.Contains("succeed again, after ", StringComparison.Ordinal), Hang), host.Stderr);
        Assert.True(Self(port, "fluentbit_plugin_remote_write_samples_sent_total") > sentBefore);
        host.EndInput();
        host.WaitFor("flb-host: ready");
        Assert.Equal(0, host.Stop());

        // 12 s of pushes every second would be 12 attempts; backing off 1, 2, 4, 8 s leaves at most 5. A slow machine
        // only makes fewer, so the lower bound is that the outage was seen at all.
        output.WriteLine($"unreachable pushes in 12 s: {during}");
        Assert.InRange(during, 1, 5);
        Assert.Contains("failed (unreachable): ", host.Stderr);
        Assert.Equal(host.RecordsSent(), Assert.Single(prometheus.Query("test_records_total")).Value);
    }

    [Fact]
    public void TheReceiversCertificateIsVerifiedByDefault()
    {
        using var pki = new TestCertificates();
        using PrometheusServer prometheus = PrometheusServer.Start("", [PrometheusServer.RemoteWriteReceiver], tls: pki);
        int[] ports = [Scrape.FreePort(), Scrape.FreePort()];
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.TestExporter,
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={ports[0]}", "-p", "add_labels=instance=system-cas",
            "-p", $"remote_write_url={prometheus.RemoteWriteUrl}", "-p", "remote_write_interval=1s",
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={ports[1]}", "-p", "add_labels=instance=unverified",
            "-p", $"remote_write_url={prometheus.RemoteWriteUrl}", "-p", "remote_write_interval=1s", "-p", "remote_write_tls_verify=off",
            "--chunks", Path.Combine(Vectors.Root, "burst"), "--wait");
        host.WaitFor("flb-host: ready");

        Assert.True(SpinWait.SpinUntil(() => Self(ports[0], Result("unreachable")) >= 1 && Self(ports[1], Result("ok")) >= 1, Hang), host.Stderr);
        Assert.Equal(0, host.Stop());

        // The test CA is in no system store: without remote_write_tls_ca_file the push fails the TLS handshake.
        Assert.Contains("[test_exporter.0] a push of ", host.Stderr);
        Assert.Contains("The remote certificate was rejected by the provided RemoteCertificateValidationCallback", host.Stderr);
        Assert.Empty(prometheus.Query("test_records_total{instance=\"system-cas\"}"));
        Assert.Single(prometheus.Query("test_records_total{instance=\"unverified\"}"));
    }

    /// <summary>
    /// Once the input is done, the scrape and the last push (at Exit) see the same values: Prometheus must return every
    /// series the plugin serves (not the self-metrics, which <c>add_labels</c> does not mark), with exactly its value.
    /// </summary>
    private void AssertPushedAsServed(PrometheusServer prometheus, HostProcess host, int port, string instance)
    {
        host.WaitFor("flb-host: ready");
        Dictionary<string, double> served = Scrape.Metrics(port);
        Assert.Equal(0, host.Stop());

        Dictionary<string, double> pushed = prometheus.Query($"{{instance=\"{instance}\"}}")
            .ToDictionary(r => PrometheusText.Key(r.Labels["__name__"], [.. r.Labels.Where(l => l.Key != "__name__").Select(l => (l.Key, l.Value))]), r => r.Value);
        output.WriteLine($"{served.Count} series served, {pushed.Count} in Prometheus");
        Assert.True(served.Count >= 9, $"only {served.Count} series");
        Assert.Equal(served.OrderBy(s => s.Key, StringComparer.Ordinal), pushed.OrderBy(s => s.Key, StringComparer.Ordinal));
        Assert.DoesNotContain("failed", host.Stderr.Split('\n').Where(l => l.Contains("push", StringComparison.Ordinal)));
    }

    private static string Result(string result) => PrometheusText.Key("fluentbit_plugin_remote_write_pushes_total", ("result", result));

    private static double Rejected(int port) => Self(port, Result("rejected"));

    private static double Self(int port, string key) => Scrape.SelfMetrics(port).GetValueOrDefault(key);
}
