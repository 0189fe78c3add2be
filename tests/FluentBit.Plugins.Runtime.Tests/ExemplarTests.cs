using System;
using System.Text;
using FluentBit.Plugins.CodeGen;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>What a record's exemplar values must be to become an exemplar, and the per-series gate.</summary>
public class ExemplarTests
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static readonly ExemplarLabels TraceId = new(["trace_id"], [TraceParentPart.None]);
    private static readonly ExemplarLabels FromTraceParent = new(["trace_id", "span_id"], [TraceParentPart.TraceId, TraceParentPart.SpanId]);

    [Fact]
    public void AnIdIsPresentAndNoValueIsNeitherPresentNorInvalid()
    {
        RecordExemplar present = TraceId.Check(Bytes("4bf92f3577b34da6a3ce929d0e0e4736"));
        RecordExemplar none = TraceId.Check(default);

        Assert.True(present.Present);
        Assert.False(present.Invalid);
        Assert.False(none.Present);
        Assert.False(none.Invalid);
    }

    [Fact]
    public void ATraceParentGivesItsTraceAndSpanIds()
    {
        ReadOnlyMemory<byte> value = Bytes(TraceParent);
        RecordExemplar exemplar = FromTraceParent.Check(value, value);

        Assert.True(exemplar.Present);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", Encoding.ASCII.GetString(exemplar.Value0.Span));
        Assert.Equal("00f067aa0ba902b7", Encoding.ASCII.GetString(exemplar.Value1.Span));
    }

    [Theory]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")] // no flags
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")] // upper case
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")] // zero trace id
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")] // zero span id
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")] // version ff
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")] // version 00 has nothing after the flags
    [InlineData("not a traceparent at all, but long enough to be looked at closely")]
    public void AMalformedTraceParentIsInvalid(string value)
    {
        ReadOnlyMemory<byte> bytes = Bytes(value);
        Assert.True(FromTraceParent.Check(bytes, bytes).Invalid);
    }

    [Fact]
    public void ALaterVersionMayCarryMoreAfterTheFlags()
    {
        ReadOnlyMemory<byte> bytes = Bytes("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-more");
        Assert.True(FromTraceParent.Check(bytes, bytes).Present);
    }

    [Theory]
    [InlineData("caf\u00e9")] // not ASCII: prometheus-net would write '?' in its place
    [InlineData("a\tb")] // a control character
    public void AValueThatIsNotPrintableAsciiIsInvalid(string value) =>
        Assert.True(TraceId.Check(Bytes(value)).Invalid);

    [Fact]
    public void NamesAndValuesOver128CharactersAreInvalid()
    {
        // "trace_id" is 8 characters: 120 more fit, 121 do not.
        Assert.True(TraceId.Check(Bytes(new string('a', 120))).Present);
        Assert.True(TraceId.Check(Bytes(new string('a', 121))).Invalid);
    }

    [Fact]
    public void AValueThatIsNotAStringIsInvalid() =>
        Assert.True(TraceId.Check(ExemplarLabels.Unreadable).Invalid);

    [Fact]
    public void AnInvalidExemplarIsCountedAgainstTheMetricAndNothingIsRecorded()
    {
        var health = new MetricHealth("m");
        RecordExemplar invalid = TraceId.Check(Bytes("caf\u00e9"));

        Assert.Null(invalid.Offer(new ExemplarGate(), health));
        Assert.Equal(1, health.Skipped(SkipReason.InvalidExemplar));
        Assert.Equal("invalid_exemplar", SkipReason.InvalidExemplar.ExpositionName());
    }

    [Fact]
    public void AGateLetsOneExemplarThroughThenClosesForTheInterval()
    {
        var gate = new ExemplarGate();
        var health = new MetricHealth("m");
        RecordExemplar exemplar = TraceId.Check(Bytes("4bf92f3577b34da6a3ce929d0e0e4736"));

        Assert.NotNull(exemplar.Offer(gate, health));
        Assert.Null(exemplar.Offer(gate, health));
        Assert.NotNull(exemplar.Offer(new ExemplarGate(), health));
        Assert.Equal(TimeSpan.FromSeconds(5), ExemplarGate.MinInterval);
    }

    /// <summary>
    /// The gate closes for its metric's interval and reopens at its end, to the millisecond (the record's clock reading
    /// is given); a metric of another instance keeps the default 5 s whatever this one's interval is.
    /// </summary>
    [Fact]
    public void AGateReopensWhenItsMetricsIntervalHasPassedAndNotBefore()
    {
        RecordExemplar exemplar = TraceId.Check(Bytes("4bf92f3577b34da6a3ce929d0e0e4736"));
        long start = exemplar.Now;
        var health = new MetricHealth("m") { ExemplarIntervalMilliseconds = 200 };
        var gate = new ExemplarGate();

        Assert.NotNull((exemplar with { Now = start }).Offer(gate, health));
        Assert.Null((exemplar with { Now = start + 199 }).Offer(gate, health));
        Assert.NotNull((exemplar with { Now = start + 200 }).Offer(gate, health));
        Assert.Null((exemplar with { Now = start + 399 }).Offer(gate, health));
        Assert.NotNull((exemplar with { Now = start + 400 }).Offer(gate, health));

        var otherInstance = new MetricHealth("m");
        var otherGate = new ExemplarGate();
        Assert.Equal(5_000, otherInstance.ExemplarIntervalMilliseconds);
        Assert.NotNull((exemplar with { Now = start }).Offer(otherGate, otherInstance));
        Assert.Null((exemplar with { Now = start + 4_999 }).Offer(otherGate, otherInstance));
        Assert.NotNull((exemplar with { Now = start + 5_000 }).Offer(otherGate, otherInstance));
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
