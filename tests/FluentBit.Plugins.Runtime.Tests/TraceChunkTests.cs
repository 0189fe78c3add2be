using System;
using System.Collections.Generic;
using System.Linq;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using MessagePack;
using Xunit;
using SpanProbePlugin = global::SpanProbe.SpanProbe;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>
/// Trace chunks as ctraces encodes them: every part of a span read, keys in any order, and hostile chunks (truncated,
/// wrong types, huge or deep attribute maps, random damage) refused whole and counted, never thrown.
/// </summary>
public class TraceChunkTests
{
    private static readonly TestSpan Span = new("GET /api/items")
    {
        ServiceName = "checkout",
        ResourceAttributes = new Dictionary<string, object?> { ["deployment.environment.name"] = "prod" },
        ScopeName = "io.opentelemetry.http",
        Kind = TestSpanKind.Client,
        Status = TestSpanStatus.Error,
        StatusMessage = "timeout",
        Duration = TimeSpan.FromMilliseconds(250),
        ParentSpanId = "00f067aa0ba902b7",
        Attributes = new Dictionary<string, object?> { ["http.route"] = "/api/items", ["http.response.status_code"] = 504 },
    };

    [Fact]
    public void EachPartOfASpanThatFeedsAMetricIsRead()
    {
        var plugin = new PluginHarness<SpanProbePlugin>();

        Assert.Equal(1, plugin.SendSpans(Span));

        (string, string)[] labels =
            [("service", "checkout"), ("name", "GET /api/items"), ("kind", "SPAN_KIND_CLIENT"), ("status", "STATUS_CODE_ERROR"),
             ("scope", "io.opentelemetry.http"), ("route", "/api/items"), ("env", "prod")];
        Assert.Equal(1, plugin.Value("spans_total", labels));
        Assert.Equal(504, plugin.Value("last_status_code"));
        Assert.Equal(0.25, plugin.Value("span_seconds_sum")!.Value, 9);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", plugin.Exemplar("spans_total", labels)?.Label("trace_id"));
    }

    [Fact]
    public void KeysInAnyOrderAndUnknownKeysAreRead()
    {
        var plugin = new PluginHarness<SpanProbePlugin>();

        // The resource after its scope spans, a span's keys reversed, keys a newer ctraces might add.
        byte[] chunk = Document(w =>
        {
            w.WriteMapHeader(2);
            w.Write("future");
            w.Write(1);
            w.Write("resourceSpans");
            w.WriteArrayHeader(1);
            w.WriteMapHeader(2);
            w.Write("scope_spans");
            w.WriteArrayHeader(1);
            w.WriteMapHeader(2);
            w.Write("spans");
            w.WriteArrayHeader(1);
            w.WriteMapHeader(5);
            w.Write("status");
            w.WriteMapHeader(1);
            w.Write("code");
            w.Write(1);
            w.Write("end_time_unix_nano");
            w.Write(3_000_000_000UL);
            w.Write("start_time_unix_nano");
            w.Write(1_000_000_000UL);
            w.Write("kind");
            w.Write(1);
            w.Write("name");
            w.Write("work");
            w.Write("scope");
            w.WriteNil();
            w.Write("resource");
            w.WriteMapHeader(1);
            w.Write("attributes");
            w.WriteMapHeader(1);
            w.Write("service.name");
            w.Write("batch");
        });

        Assert.Equal(1, plugin.SendChunk(chunk));
        Assert.Equal(2, plugin.Value("span_seconds_sum"));
        Assert.Equal(1, plugin.Skips("spans_total").MissingLabel);
    }

    [Theory]
    [InlineData("truncated", "a trace document runs past the end of the chunk")]
    [InlineData("not a map", "a trace document is not a map")]
    [InlineData("resourceSpans not an array", "resourceSpans is not an array")]
    [InlineData("kind a string", "resourceSpans[0]: scope_spans[0]: spans[0]: kind is not an integer")]
    [InlineData("start negative", "resourceSpans[0]: scope_spans[0]: spans[0]: start_time_unix_nano is negative")]
    [InlineData("attributes an array", "resourceSpans[0]: scope_spans[0]: spans[0]: attributes are not a map")]
    [InlineData("resource attributes a string", "resourceSpans[0]: resource attributes are not a map")]
    [InlineData("huge attribute map", "a trace document runs past the end of the chunk")]
    [InlineData("name a number", "resourceSpans[0]: scope_spans[0]: spans[0]: an id or the name is not a string")]
    public void AHostileChunkIsRefusedWholeAndCounted(string damage, string problem)
    {
        var plugin = new PluginHarness<SpanProbePlugin>();
        byte[] good = new TraceChunkBuilder().Add(Span).ToArray();

        Assert.Equal(0, plugin.SendChunk(good.Concat(Hostile(damage, good)).ToArray()));

        Assert.Null(plugin.Value("span_seconds_count"));
        string line = Assert.Single(plugin.LogLines, l => l.Contains("dropped a damaged", StringComparison.Ordinal));
        Assert.Contains(problem, line);
        Assert.Contains("after 1 complete event(s)", line.Replace($"at byte {good.Length}", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(1, plugin.SelfSamples("fluentbit_plugin_chunks_flushed_total").Single(s => s.Label("result") == "error").Value);
    }

    [Fact]
    public void ADeeplyNestedAttributeIsReadWithoutRecursion()
    {
        var plugin = new PluginHarness<SpanProbePlugin>();

        Assert.Equal(1, plugin.SendSpans(Span with
        {
            Attributes = new Dictionary<string, object?> { ["http.route"] = "/deep", ["payload"] = MessagePackValue.Nested(100_000) },
        }));
        Assert.Equal(1, plugin.Value("span_seconds_count"));
    }

    [Fact]
    public void AHookThatThrowsSkipsItsSpanOnly()
    {
        var plugin = new PluginHarness<SpanProbePlugin>();

        Assert.Equal(1, plugin.SendSpans(Span with { Name = "throw" }, Span));

        Assert.Equal(1, plugin.Value("span_seconds_count"));
        Assert.Contains(plugin.LogLines, l => l.Contains("skipped span 0 of a", StringComparison.Ordinal) && l.Contains("the probe was told to throw", StringComparison.Ordinal));
    }

    /// <summary>The span flush path (walk, decode, apply, self-metrics) allocates nothing once every series exists and the exemplar gates are closed.</summary>
    [Fact]
    public void SteadyStateSpanFlushAllocatesNothing()
    {
        var log = new FluentBit.Plugins.Logging.PluginLog("span_probe", static (_, _) => { });
        using var instance = FluentBit.Plugins.Hosting.PluginInstance<SpanProbePlugin, global::SpanProbe.SpanProbeRecord, SpanProbePlugin.Instruments>.Create(new TestProperties(), log);
        foreach (FluentBit.Plugins.CodeGen.MetricHealth health in instance.Options.Healths)
        {
            health.ExemplarIntervalMilliseconds = long.MaxValue / 4;
        }

        byte[] chunk = new TraceChunkBuilder().Add(Span, Span with { Status = TestSpanStatus.Ok, Duration = TimeSpan.FromSeconds(2) }).Add(Span with { ServiceName = "other" }).ToArray();
        byte[] tag = "otel"u8.ToArray();
        EventTimestamp now = EventTimestamp.Now();
        int failed = 0;
        void FlushAll() => failed += instance.FlushChunk(chunk, tag, now, out _) == FluentBit.Plugins.Native.FlbConstants.Ok ? 0 : 1;

        Allocations.AssertNone(FlushAll);
        Assert.Equal(0, failed);
    }

    [Fact]
    public void RandomDamageIsNeverThrownAndNeverAppliedInPart()
    {
        var plugin = new PluginHarness<SpanProbePlugin>();
        byte[] good = new TraceChunkBuilder().Add(Span, Span with { Name = "second" }).ToArray();
        var random = new Random(36);
        for (int i = 0; i < 5_000; i++)
        {
            byte[] damaged = (byte[])good.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            byte[] chunk = random.Next(4) == 0 ? damaged[..random.Next(damaged.Length)] : damaged;
            bool valid = TraceChunk.TryValidate(chunk, out int spans, out _);
            Assert.Equal(valid ? spans : 0, plugin.SendChunk(chunk));
        }
    }

    private static byte[] Hostile(string damage, byte[] good) => damage switch
    {
        "truncated" => good[..^5],
        "not a map" => Document(w => w.Write("resourceSpans")),
        "resourceSpans not an array" => Document(w =>
        {
            w.WriteMapHeader(1);
            w.Write("resourceSpans");
            w.Write("x");
        }),
        "kind a string" => OneSpan(w => w.Write("SERVER"), "kind"),
        "start negative" => OneSpan(w => w.Write(-1), "start_time_unix_nano"),
        "attributes an array" => OneSpan(w => w.WriteArrayHeader(0), "attributes"),
        "name a number" => OneSpan(w => w.Write(5), "name"),
        "resource attributes a string" => Document(w =>
        {
            w.WriteMapHeader(1);
            w.Write("resourceSpans");
            w.WriteArrayHeader(1);
            w.WriteMapHeader(1);
            w.Write("resource");
            w.WriteMapHeader(1);
            w.Write("attributes");
            w.Write("service.name=x");
        }),
        // A map header claiming two billion entries in a few bytes.
        "huge attribute map" => OneSpan(w => w.WriteMapHeader(int.MaxValue), "attributes"),
        _ => throw new ArgumentOutOfRangeException(nameof(damage)),
    };

    /// <summary>A document with one span whose <paramref name="key"/> holds what <paramref name="value"/> writes.</summary>
    private static byte[] OneSpan(Action<MessagePackWriterBox> value, string key) => Document(w =>
    {
        w.WriteMapHeader(1);
        w.Write("resourceSpans");
        w.WriteArrayHeader(1);
        w.WriteMapHeader(1);
        w.Write("scope_spans");
        w.WriteArrayHeader(1);
        w.WriteMapHeader(1);
        w.Write("spans");
        w.WriteArrayHeader(1);
        w.WriteMapHeader(1);
        w.Write(key);
        value(w);
    });

    private static byte[] Document(Action<MessagePackWriterBox> write)
    {
        var box = new MessagePackWriterBox();
        write(box);
        return box.ToArray();
    }

    /// <summary>MessagePackWriter is a ref struct: a small class around a buffer lets the cases above be lambdas.</summary>
    private sealed class MessagePackWriterBox
    {
        private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new();

        private delegate void WriteAction(ref MessagePackWriter writer);

        public void WriteMapHeader(int count) => Use((ref MessagePackWriter w) => w.WriteMapHeader(count));

        public void WriteArrayHeader(int count) => Use((ref MessagePackWriter w) => w.WriteArrayHeader(count));

        public void Write(string value) => Use((ref MessagePackWriter w) => w.Write(value));

        public void Write(long value) => Use((ref MessagePackWriter w) => w.Write(value));

        public void Write(ulong value) => Use((ref MessagePackWriter w) => w.Write(value));

        public void WriteNil() => Use((ref MessagePackWriter w) => w.WriteNil());

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

        private void Use(WriteAction action)
        {
            var writer = new MessagePackWriter(_buffer);
            action(ref writer);
            writer.Flush();
        }
    }
}
