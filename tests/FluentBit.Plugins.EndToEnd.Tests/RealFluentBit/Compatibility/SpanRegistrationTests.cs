using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit.Compatibility;

/// <summary>
/// The span sample in each tested Fluent Bit: from 4.2 on it registers for traces and counts the spans an OTLP client
/// sends to the <c>opentelemetry</c> input; before 4.2 (no <c>event_type</c> in the definition) it refuses to register,
/// with a line naming the version it needs, and Fluent Bit stops without a crash.
/// </summary>
[Trait("Category", CompatibilityTests.Category)]
public class SpanRegistrationTests
{
    private static readonly Version EventTypeSince = new(4, 2);

    [Fact]
    public void TheSpanSampleCountsSpansFrom42OnAndIsRefusedCleanlyBefore()
    {
        Version version = FluentBitProcess.Version;
        int otlp = Scrape.FreePort();
        int port = Scrape.FreePort();
        string[] arguments =
        [
            "-e", Artifacts.SpanMetrics,
            // 4.2 tags what the input receives by its URI (v1_traces) unless told to keep the input's tag.
            "-i", "opentelemetry", "-t", "otel", "-p", "listen=127.0.0.1", "-p", $"port={otlp}", "-p", "tag_from_uri=false",
            "-o", "span_metrics", "-m", "otel", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
        ];
        if (version < EventTypeSince)
        {
            using FluentBitProcess refused = FluentBitProcess.Start(arguments);
            Assert.NotEqual(0, refused.WaitForExit());
            Assert.Contains(
                $"[error] [span_metrics] not registered: span_metrics reads traces, which Fluent Bit hands to a plugin from 4.2 on; this is Fluent Bit {version}. Run it in Fluent Bit 4.2 or later",
                refused.Log);
            Assert.DoesNotContain("serving metrics", refused.Log);
            Assert.DoesNotContain("SIGSEGV", refused.Log);
            return;
        }

        using FluentBitRun run = FluentBitRun.Start(arguments, ["span_metrics.0"]);
        OtlpSpanClient.Send(otlp, "checkout", [(TimeSpan.FromMilliseconds(20), ActivityStatusCode.Unset), (TimeSpan.FromMilliseconds(20), ActivityStatusCode.Error)]);
        string key = PrometheusText.Key("calls_total", ("service_name", "checkout"), ("span_name", "GET /api/items"), ("span_kind", "SPAN_KIND_SERVER"), ("status_code", "STATUS_CODE_ERROR"));
        Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port).GetValueOrDefault(key) == 1, TimeSpan.FromSeconds(60)), run.Process.Log);
        run.StopCleanly();
    }
}
