using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// Prometheus' own tools read what the published plugins serve in tools/flb-host: promtool lints the exposition,
/// and a Prometheus server scrapes it plainly, with basic auth and over TLS.
/// </summary>
public class PrometheusClientTests
{
    private const string Promtool = "/usr/bin/promtool";

    // What Prometheus 2.42 sends: OpenMetrics first.
    private const string OpenMetricsAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private static readonly string CpuChunks = Path.Combine(Vectors.Root, "cpu");

    [Fact]
    public void PromtoolAcceptsBothSamplesInBothFormats()
    {
        int cpuPort = Scrape.FreePort();
        int testPort = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-e", Artifacts.TestExporter,
            "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={cpuPort}",
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={testPort}",
            "--chunks", CpuChunks, "--wait");
        host.WaitFor("flb-host: ready");

        foreach (int port in new[] { cpuPort, testPort })
        {
            string text = Scrape.Text(port);
            string openMetrics = Scrape.Text(port, OpenMetricsAccept);
            Assert.StartsWith("# HELP", text);
            Assert.EndsWith("# EOF\n", openMetrics);

            Assert.Equal((0, ""), Lint(text));

            // promtool 2.42 lints only the 0.0.4 text format: it reads an OpenMetrics counter's x_total samples as a
            // family of their own, which has no HELP. Any other finding would be a real one.
            (int status, string findings) = Lint(openMetrics);
            string[] misreadCounters = Regex.Matches(openMetrics, @"^# TYPE (\S+) counter$", RegexOptions.Multiline)
                .Select(m => $"{m.Groups[1].Value}_total no help text").ToArray();
            Assert.All(findings.Split('\n', StringSplitOptions.RemoveEmptyEntries), f => Assert.Contains(f, misreadCounters));
            Assert.Equal(findings.Length == 0 ? 0 : 3, status);
        }

        Assert.Equal(0, host.Stop());
    }

    private static (int Status, string Output) Lint(string exposition)
    {
        Assert.True(File.Exists(Promtool), $"{Promtool} is missing: run eng/ensure-deps.sh (Debian package prometheus)");
        var start = new ProcessStartInfo(Promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process promtool = Process.Start(start)!;
        promtool.StandardInput.Write(exposition);
        promtool.StandardInput.Close();
        string output = promtool.StandardOutput.ReadToEnd() + promtool.StandardError.ReadToEnd();
        Assert.True(promtool.WaitForExit(TimeSpan.FromSeconds(30)));
        return (promtool.ExitCode, output);
    }

    [Fact]
    public void PrometheusScrapesTheCpuSamplePlainWithBasicAuthAndOverTls()
    {
        using var pki = new TestCertificates();
        string passwordFile = Path.Combine(pki.Directory, "password");
        File.WriteAllText(passwordFile, "s3cret\n");
        int plain = Scrape.FreePort();
        int auth = Scrape.FreePort();
        int tls = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter,
            "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={plain}",
            "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={auth}", "-p", "http_user=prom", "-p", $"http_passwd_file={passwordFile}",
            "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={tls}",
            "-p", $"http_tls_crt_file={pki.CrtFile}", "-p", $"http_tls_key_file={pki.KeyFile}", "-p", "http_user=prom", "-p", "http_passwd=s3cret",
            "--chunks", CpuChunks, "--wait");
        host.WaitFor("flb-host: ready");

        using PrometheusServer prometheus = PrometheusServer.Start($$"""
              - job_name: plain
                static_configs: [{targets: ['127.0.0.1:{{plain}}']}]
              - job_name: auth
                basic_auth: {username: prom, password: s3cret}
                static_configs: [{targets: ['127.0.0.1:{{auth}}']}]
              - job_name: wrong_password
                basic_auth: {username: prom, password: guess}
                static_configs: [{targets: ['127.0.0.1:{{auth}}']}]
              - job_name: tls
                scheme: https
                enable_http2: true
                basic_auth: {username: prom, password: s3cret}
                tls_config: {ca_file: '{{pki.CaFile}}'}
                static_configs: [{targets: ['127.0.0.1:{{tls}}']}]

            """);
        string[] serving = ["plain", "auth", "tls"];
        prometheus.WaitUntil(
            () => prometheus.QueryByJob("fluentbit_plugin_records_decoded_total").Count == serving.Length && prometheus.QueryByJob("up").Count == 4,
            TimeSpan.FromSeconds(30),
            "Prometheus did not scrape all four jobs");

        Dictionary<string, double> total = prometheus.QueryByJob("cpu_usage_percent{cpu=\"all\",mode=\"total\"}");
        Dictionary<string, double> cpu1 = prometheus.QueryByJob("cpu_usage_percent{cpu=\"cpu1\",mode=\"user\"}");
        Dictionary<string, double> records = prometheus.QueryByJob("fluentbit_plugin_records_decoded_total");
        Dictionary<string, double> ok = prometheus.QueryByJob("fluentbit_plugin_chunks_flushed_total{result=\"ok\"}");
        Dictionary<string, double> series = prometheus.QueryByJob("fluentbit_plugin_series{metric=\"cpu_usage_percent\"}");
        Dictionary<string, double> up = prometheus.QueryByJob("up");
        (string _, string health, string error) = prometheus.Targets().Single(t => t.Job == "wrong_password");

        foreach (string job in serving)
        {
            Assert.Equal(CpuSeries.After0003[PrometheusText.Key("cpu_usage_percent", ("cpu", "all"), ("mode", "total"))], total[job]);
            Assert.Equal(CpuSeries.After0003[PrometheusText.Key("cpu_usage_percent", ("cpu", "cpu1"), ("mode", "user"))], cpu1[job]);
            Assert.Equal(4, records[job]);
            Assert.Equal(4, ok[job]);
            Assert.Equal(9, series[job]);
            Assert.Equal(1, up[job]);
        }

        Assert.Equal(0, up["wrong_password"]);
        Assert.Equal("down", health);
        Assert.Contains("401", error);
        Assert.Equal(0, host.Stop());
    }
}
