using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The published cpu_exporter.so, loaded into this process and driven through its C exports, for what the
/// host (<see cref="HostTests"/>) cannot show: the definition Register fills, the property and log calls
/// the plugin makes, and per-call return codes. Scenarios the host shows live only there.
/// </summary>
public unsafe class InProcessCpuExporterTests
{
    private static readonly Lazy<InProcessPlugin> Plugin = new(() =>
    {
        InProcessPlugin plugin = InProcessPlugin.Load(Artifacts.CpuExporter);
        Assert.Equal(0, plugin.Register());
        return plugin;
    });

    private static byte[] Chunk(string name) => File.ReadAllBytes(Path.Combine(Vectors.Root, "cpu", name));

    [Fact]
    public void RegisterFillsTheDefinitionFluentBitChecks()
    {
        FlbPluginProxyDef* def = Plugin.Value.Definition;

        Assert.Equal(2, def->Type);
        Assert.Equal(11, def->Proxy);
        Assert.Equal(0, def->Flags);
        Assert.Equal("cpu_exporter", Marshal.PtrToStringUTF8((nint)def->Name));
        Assert.Equal("Exports Fluent Bit's cpu input as Prometheus metrics", Marshal.PtrToStringUTF8((nint)def->Description));

        // This process is not a fluent-bit executable, so the plugin cannot tell that the definition has a config_map
        // (5.1.1 and later): it writes nothing past the 32 bytes every Fluent Bit has. The map itself is checked where a
        // host reports 5.1.1 (DefinitionSizeHostTests) and in Fluent Bit 5.1.1 (RealFluentBit.ConfigMapTests).
        Assert.True(def->ConfigMap == null);
        Assert.Equal(0, def->EventType);
    }

    [Fact]
    public void InstanceNumbersRestartAfterEveryInstanceExitedAsAfterAHotReload()
    {
        int port = Scrape.FreePort();
        InProcessInstance first = Plugin.Value.Init(("http_listen", "127.0.0.1"), ("http_port", port.ToString()));
        InProcessInstance second = Plugin.Value.Init(("http_listen", "127.0.0.1"), ("http_port", Scrape.FreePort().ToString()));
        first.Exit();
        second.Exit();

        InProcessInstance reloaded = Plugin.Value.Init(("http_listen", "127.0.0.1"), ("http_port", port.ToString()));
        reloaded.Exit();

        Assert.Equal($"[info] [cpu_exporter.0] serving metrics at http://127.0.0.1:{port}/metrics", InProcessPlugin.Log.Last(l => l.Contains("serving metrics")));
    }

    [Fact]
    public void ReadsItsConfigThroughOutputGetProperty()
    {
        int port = Scrape.FreePort();
        InProcessInstance instance = Plugin.Value.Init(("HTTP_PORT", port.ToString()), ("http_listen", "127.0.0.1"), ("port", "1"), ("host", "10.0.0.1"));
        try
        {
            Assert.Equal(1, instance.InitResult);
            Assert.Contains("http_port", instance.Asked);
            Assert.Contains("http_listen", instance.Asked);
            Assert.True(Scrape.IsListening(port));
            Assert.Contains(InProcessPlugin.Log, l => Regex.IsMatch(l, $@"^\[info\] \[cpu_exporter\.\d+\] serving metrics at http://127\.0\.0\.1:{port}/metrics$"));
        }
        finally
        {
            instance.Exit();
        }
    }

    [Theory]
    [InlineData("http_port", "99999", "invalid value '99999' for http_port: expected a TCP port number from 1 to 65535 (default 8989)")]
    [InlineData("http_listen", "nowhere", "invalid value 'nowhere' for http_listen: expected an IP address to listen on, such as 0.0.0.0 (all interfaces, the default), 127.0.0.1 or ::")]
    [InlineData("metrics_port", "9100", "unknown configuration key 'metrics_port' (did you mean 'http_port'?); cpu_exporter accepts: ")]
    [InlineData("http_tls_crt_file", "/nonexistent/server.crt", "http_tls_crt_file is set but http_tls_key_file is not: TLS needs both PEM files")]
    public void ABadKeyFailsInitWithALogLineNamingIt(string key, string value, string error)
    {
        InProcessInstance instance = Plugin.Value.Init((key, value));

        Assert.Equal(0, instance.InitResult);
        // The list of accepted keys is ConfigKeys.Accepted's, written once.
        string expected = error.EndsWith("accepts: ", StringComparison.Ordinal) ? error + string.Join(", ", FluentBit.Plugins.Configuration.ConfigKeys.Accepted) : error;
        Assert.Contains(InProcessPlugin.Log, l => l.StartsWith("[error] [cpu_exporter.") && l.EndsWith($"] init failed: {expected}"));
    }

    [Fact]
    public void ADamagedChunkIsDroppedWithAnErrorAndTheNextFlushSucceeds()
    {
        int port = Scrape.FreePort();
        InProcessInstance instance = Plugin.Value.Init(("http_listen", "127.0.0.1"), ("http_port", port.ToString()));
        try
        {
            byte[] good = Chunk("0001.msgpack");
            Assert.Equal(FlbConstants.Error, instance.Flush(good[..^9], "cpu.damaged"));
            Assert.Contains(InProcessPlugin.Log, l => l.Contains(
                "] dropped a damaged 190-byte chunk (tag 'cpu.damaged'): an event body runs past the end of the chunk, at byte 0 after 0 complete event(s); nothing of the chunk was applied"));

            Assert.Equal(FlbConstants.Ok, instance.Flush(good));
            Assert.Equal(CpuSeries.After0001, Scrape.Metrics(port));
        }
        finally
        {
            instance.Exit();
        }
    }

    [Fact]
    public void SelfMetricsCountRecordsChunksAndSeries()
    {
        int port = Scrape.FreePort();
        InProcessInstance instance = Plugin.Value.Init(("http_listen", "127.0.0.1"), ("http_port", port.ToString()));
        try
        {
            double before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            Assert.Equal(FlbConstants.Ok, instance.Flush(Chunk("0000.msgpack")));
            Assert.Equal(FlbConstants.Ok, instance.Flush(Chunk("0001.msgpack")));
            Assert.Equal(FlbConstants.Error, instance.Flush(Chunk("0001.msgpack")[..^9]));

            Dictionary<string, double> self = Scrape.SelfMetrics(port);

            Assert.Equal(2, self["fluentbit_plugin_records_decoded_total"]);
            Assert.Equal(2, self[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "ok"))]);
            Assert.Equal(1, self[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "error"))]);
            Assert.Equal(0, self[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "retry"))]);
            Assert.Equal(3, self["fluentbit_plugin_flush_duration_seconds_count"]);
            Assert.InRange(self["fluentbit_plugin_last_flush_timestamp_seconds"], before - 1, before + 60);
            Assert.Equal(9, self[PrometheusText.Key("fluentbit_plugin_series", ("metric", "cpu_usage_percent"))]);
        }
        finally
        {
            instance.Exit();
        }
    }

    [Fact]
    public void ThePasswordIsNeverLoggedAndWrongCredentialsAreRefused()
    {
        const string password = "pw-9f3a1c";
        int port = Scrape.FreePort();
        InProcessInstance instance = Plugin.Value.Init(("http_listen", "127.0.0.1"), ("http_port", port.ToString()), ("http_user", "prom"), ("http_passwd", password));
        try
        {
            Assert.Equal(1, instance.InitResult);
            using var client = new System.Net.Http.HttpClient();
            foreach ((string user, string pass) in new[] { ("prom", "wrong"), ("other", password) })
            {
                using var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Get, $"http://127.0.0.1:{port}/metrics");
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{pass}")));
                using System.Net.Http.HttpResponseMessage refused = client.Send(request);
                Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
            }

            using var right = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Get, $"http://127.0.0.1:{port}/metrics");
            right.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"prom:{password}")));
            using System.Net.Http.HttpResponseMessage accepted = client.Send(right);
            Assert.Equal(System.Net.HttpStatusCode.OK, accepted.StatusCode);
        }
        finally
        {
            instance.Exit();
        }

        InProcessInstance failing = Plugin.Value.Init(("http_port", port.ToString()), ("http_passwd", password));

        Assert.Equal(0, failing.InitResult);
        Assert.Contains(InProcessPlugin.Log, l => l.EndsWith($"serving metrics at http://127.0.0.1:{port}/metrics (basic auth as 'prom')"));
        Assert.DoesNotContain(InProcessPlugin.Log, l => l.Contains(password));
    }

    [Fact]
    public void NoEndpointThreadIsLeftOnceEveryInstanceHasExited()
    {
        int port = Scrape.FreePort();
        InProcessInstance instance = Plugin.Value.Init(("http_listen", "127.0.0.1"), ("http_port", port.ToString()));
        Scrape.Text(port);
        Assert.Contains("Kestrel Timer", ThreadNames());

        instance.Exit();

        Assert.DoesNotContain("Kestrel Timer", ThreadNames());
    }

    private static string[] ThreadNames() =>
        Directory.GetDirectories("/proc/self/task").Select(t => File.ReadAllText(Path.Combine(t, "comm")).TrimEnd('\n')).ToArray();

    [Fact]
    public void DebugMessagesFollowTheInstancesLogLevel()
    {
        int port = Scrape.FreePort();
        InProcessInstance quiet = Plugin.Value.Init(("http_listen", "127.0.0.1"), ("http_port", port.ToString()), ("log_level", "error"));
        int before = InProcessPlugin.Log.Count();
        quiet.Exit();

        // Neither the "serving" info line at init nor anything at exit passes a log_level of error.
        Assert.DoesNotContain(InProcessPlugin.Log, l => l.Contains($"serving metrics at http://127.0.0.1:{port}/"));
        Assert.Equal(before, InProcessPlugin.Log.Count());
    }
}
