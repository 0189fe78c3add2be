using System;
using System.Collections.Generic;
using System.IO;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The span sample's registration against definitions of each size, each ending at a guard page in tools/flb-host: in a
/// 32-byte definition (Fluent Bit 4.1 and older, which has no <c>event_type</c>) it refuses and writes nothing (a write
/// past the end would crash on the guard page); in the 40-byte one of 4.2 to 5.1.0 it sets <c>event_type</c> and runs.
/// Real Fluent Bit 4.1.1 and 4.2.8 are in the compatibility tier (SpanRegistrationTests).
/// </summary>
public class SpanRegistrationHostTests
{
    [Fact]
    public void InADefinitionWithoutEventTypeTheSpanPluginRefusesAndWritesNothing()
    {
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.SpanMetrics, "-o", "span_metrics", "--chunks", SpanChunk(), "--proxy-def-size", "32", "--fluent-bit-version", "4.1.1");

        Assert.Equal(2, host.WaitForExit());
        Assert.Contains(
            "[error] [span_metrics] not registered: span_metrics reads traces, which Fluent Bit hands to a plugin from 4.2 on; this is Fluent Bit 4.1.1. Run it in Fluent Bit 4.2 or later",
            host.Stderr);
        Assert.DoesNotContain("serving metrics", host.Stderr);
    }

    [Fact]
    public void InA40ByteDefinitionTheSpanPluginRegistersForTracesAndRuns()
    {
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.SpanMetrics, "-o", "span_metrics", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
            "--chunks", SpanChunk(), "--proxy-def-size", "40", "--fluent-bit-version", "4.2.8", "--wait");

        host.WaitFor("flb-host: ready");
        Assert.Equal(2, Scrape.Metrics(port)[PrometheusText.Key(
            "calls_total", ("service_name", "checkout"), ("span_name", "GET /"), ("span_kind", "SPAN_KIND_SERVER"), ("status_code", "STATUS_CODE_UNSET"))]);
        Assert.Equal(0, host.Stop());
        Assert.Contains("flb-host: output span_metrics.0: flushes=1 ok=1 error=0", host.Stderr);
    }

    /// <summary>Hostile trace chunks between good ones: each refused whole and counted, the host (a Fluent Bit) alive, the good ones applied.</summary>
    [Fact]
    public void HostileTraceChunksAreRefusedAndCountedWithTheHostAlive()
    {
        int port = Scrape.FreePort();
        string directory = Path.Combine(Path.GetTempPath(), $"spans-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        byte[] good = File.ReadAllBytes(SpanChunk());
        File.WriteAllBytes(Path.Combine(directory, "0000.msgpack"), good);
        File.WriteAllBytes(Path.Combine(directory, "0001.msgpack"), good[..^7]);
        // A map header that claims two billion entries, then nothing.
        File.WriteAllBytes(Path.Combine(directory, "0002.msgpack"), [0x81, 0xad, .. "resourceSpans"u8, 0x91, 0xdf, 0x7f, 0xff, 0xff, 0xff]);
        File.WriteAllBytes(Path.Combine(directory, "0003.msgpack"), [0x81, 0xad, .. "resourceSpans"u8, 0xa1, 0x78]);
        File.WriteAllBytes(Path.Combine(directory, "0004.msgpack"), good);
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.SpanMetrics, "-o", "span_metrics", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
            "--chunks", directory, "--proxy-def-size", "48", "--fluent-bit-version", "5.1.1", "--wait");

        host.WaitFor("flb-host: ready");
        Dictionary<string, double> self = Scrape.SelfMetrics(port);
        Assert.Equal(4, Scrape.Metrics(port)[PrometheusText.Key(
            "calls_total", ("service_name", "checkout"), ("span_name", "GET /"), ("span_kind", "SPAN_KIND_SERVER"), ("status_code", "STATUS_CODE_UNSET"))]);
        Assert.Equal(3, self[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "error"))]);

        // 1: the host's status when a flush returned an error, as the three hostile ones did; no crash.
        Assert.Equal(1, host.Stop());
        Assert.Contains("flb-host: output span_metrics.0: flushes=5 ok=2 error=3", host.Stderr);
        // One line for the first (damage lines are rate-limited to one in 10 s; the counter has every one).
        Assert.Contains("a trace document runs past the end of the chunk", host.Stderr);
    }

    private static string SpanChunk()
    {
        string path = Path.Combine(Path.GetTempPath(), $"spans-{Guid.NewGuid():N}.msgpack");
        File.WriteAllBytes(path, new TraceChunkBuilder()
            .Add(new TestSpan("GET /") { ServiceName = "checkout" }, new TestSpan("GET /") { ServiceName = "checkout" })
            .ToArray());
        return path;
    }
}
