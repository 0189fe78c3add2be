using System;
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

    private static string SpanChunk()
    {
        string path = Path.Combine(Path.GetTempPath(), $"spans-{Guid.NewGuid():N}.msgpack");
        File.WriteAllBytes(path, new TraceChunkBuilder()
            .Add(new TestSpan("GET /") { ServiceName = "checkout" }, new TestSpan("GET /") { ServiceName = "checkout" })
            .ToArray());
        return path;
    }
}
