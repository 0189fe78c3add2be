using System;
using System.Text;
using FluentBit.Plugins.CodeGen;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

public class SeriesKeyTests
{
    [Theory]
    [InlineData(0.042, "0.042")]
    [InlineData(1e21, "1E+21")]
    [InlineData(200.0, "200")]
    [InlineData(-0.0, "0")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.MinValue, "-1.7976931348623157E+308")]
    public void DoublesAreInvariantShortestRoundTripText(double value, string text)
    {
        var key = new SeriesKey(stackalloc byte[64]);
        key.Add(value);

        Assert.Equal([text], key.ToLabelValues());
    }

    [Fact]
    public void EveryValueKindHasItsInvariantText()
    {
        var key = new SeriesKey(stackalloc byte[256]);
        key.Add("GET");
        key.Add("/api"u8);
        key.Add(200L);
        key.Add(ulong.MaxValue);
        key.Add(long.MinValue);
        key.Add(true);
        key.Add(false);
        key.Add(0.1f);
        key.Add((string?)null);

        Assert.Equal(9, key.Count);
        Assert.Equal(["GET", "/api", "200", "18446744073709551615", "-9223372036854775808", "true", "false", "0.1", ""], key.ToLabelValues());
        Assert.False(key.HasInvalidUtf8);
    }

    [Fact]
    public void ValuesAreLengthPrefixedSoSplitsDiffer()
    {
        var a = new SeriesKey(stackalloc byte[32]);
        a.Add("a");
        a.Add("bc");
        var b = new SeriesKey(stackalloc byte[32]);
        b.Add("ab");
        b.Add("c");

        Assert.False(a.Bytes.SequenceEqual(b.Bytes));
    }

    [Fact]
    public void TheSameValueGivesTheSameBytesWhateverItsSource()
    {
        var fromString = new SeriesKey(stackalloc byte[32]);
        fromString.Add("200");
        var fromBytes = new SeriesKey(stackalloc byte[32]);
        fromBytes.Add("200"u8);
        var fromNumber = new SeriesKey(stackalloc byte[32]);
        fromNumber.Add(200L);

        Assert.True(fromString.Bytes.SequenceEqual(fromBytes.Bytes));
        Assert.True(fromString.Bytes.SequenceEqual(fromNumber.Bytes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(300)]
    public void StringsGiveTheBytesTheirUtf8GivesAtEveryLengthPrefixSize(int length)
    {
        // ASCII strings take a narrowing fast path, others the transcoder (here after a partial ASCII run).
        Span<byte> stringBuffer = stackalloc byte[64];
        Span<byte> bytesBuffer = stackalloc byte[64];
        foreach (string value in new[] { new string('a', length), new string('a', length) + "é" })
        {
            var fromString = new SeriesKey(stringBuffer);
            fromString.Add("x");
            fromString.Add(value);
            byte[] stringBytes = fromString.Bytes.ToArray();
            Assert.Equal(["x", value], fromString.ToLabelValues());

            // One spilled key per thread at a time: the first is done with before the second is built.
            var fromBytes = new SeriesKey(bytesBuffer);
            fromBytes.Add("x"u8);
            fromBytes.Add(Encoding.UTF8.GetBytes(value));

            Assert.True(fromBytes.Bytes.SequenceEqual(stringBytes), value);
        }
    }

    [Fact]
    public void InvalidUtf8IsReplacedAndCounted()
    {
        var key = new SeriesKey(stackalloc byte[64]);
        key.Add([0x61, 0xFF, 0x62, 0xE2, 0x82]);
        key.Add("ok"u8);
        key.Add("lone \uD800 surrogate");

        Assert.Equal(2, key.ReplacedValues);
        Assert.True(key.HasInvalidUtf8);
        Assert.Equal(["a\uFFFDb\uFFFD", "ok", "lone \uFFFD surrogate"], key.ToLabelValues());

        // The key holds the replaced text, so the replaced value and its valid spelling are one series.
        var valid = new SeriesKey(stackalloc byte[64]);
        valid.Add("a\uFFFDb\uFFFD");
        valid.Add("ok");
        valid.Add("lone \uFFFD surrogate");
        Assert.True(key.Bytes.SequenceEqual(valid.Bytes));
    }

    [Fact]
    public void ValuesLongerThanTheBufferMoveToTheThreadsArray()
    {
        string longValue = new('x', 1000);
        var key = new SeriesKey(stackalloc byte[16]);
        key.Add("short");
        key.Add(longValue);
        key.Add(1.5);
        key.Add(Encoding.UTF8.GetBytes(new string('é', 3000)));

        Assert.Equal(["short", longValue, "1.5", new string('é', 3000)], key.ToLabelValues());
    }

    [Fact]
    public void TwoKeysOutgrowingTheirBuffersAtOnceFailLoudly()
    {
        var first = new SeriesKey(stackalloc byte[4]);
        first.Add("first value");
        var second = new SeriesKey(stackalloc byte[4]);
        second.Add("second value");

        Assert.Equal(["second value"], second.ToLabelValues());
        bool threw = false;
        try
        {
            _ = first.Bytes;
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void BuildingAKeyAllocatesNothing()
    {
        string method = "GET";
        int built = 0;
        void Build()
        {
            var key = new SeriesKey(stackalloc byte[256]);
            key.Add(method);
            key.Add(404L);
            key.Add(0.25);
            key.Add(true);
            key.Add("/api/items"u8);
            key.Add("z");
            built += key.Bytes.Length;
        }

        Allocations.AssertNone(Build);
        Assert.Equal((Allocations.Warmups + Allocations.Runs) * 31, built);
    }
}
