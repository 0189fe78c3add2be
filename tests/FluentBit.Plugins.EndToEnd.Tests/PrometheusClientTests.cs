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
/// promtool lints what the published plugins serve in tools/flb-host (a Prometheus server scraping them plainly,
/// with basic auth and over TLS is in the real-Fluent-Bit tier: RealFluentBit/EndpointTests).
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
}
