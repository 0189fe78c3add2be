using System;
using System.Buffers;
using System.Runtime.InteropServices;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Decoding;
using MessagePack;
using Prometheus;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

public class ValueReaderTests
{
    private delegate bool ReadFunc<T>(ref ChunkReader reader, out T value);

    public delegate void WriteFunc(ref MessagePackWriter writer);

    /// <summary>Writes the value then an integer 7, reads the value with <paramref name="read"/>, and checks the 7 follows: every read consumes its value.</summary>
    private static (bool Ok, T Value) Read<T>(WriteFunc writeValue, ReadFunc<T> read)
    {
        byte[] bytes = Pack(writeValue);
        var reader = new ChunkReader(bytes);
        bool ok = read(ref reader, out T value);
        Assert.Equal(7, reader.ReadInt64());
        return (ok, value);
    }

    private static byte[] Pack(WriteFunc writeValue)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writeValue(ref writer);
        writer.Write(7);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static WriteFunc Str(string s) => (ref MessagePackWriter w) => w.Write(s);

    [Theory]
    [InlineData("0.042", 0.042)]
    [InlineData("200", 200.0)]
    [InlineData(" -1.5e3 ", -1500.0)]
    [InlineData("18446744073709551615", 18446744073709551615.0)]
    public void DoublesParseFromNumericStrings(string text, double expected)
    {
        Assert.Equal((true, expected), Read<double>(Str(text), ValueReader.TryReadDouble));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1,000")]
    [InlineData("0x10")]
    [InlineData("12ms")]
    public void StringsThatAreNotNumbersAreInvalid(string text)
    {
        Assert.False(Read<double>(Str(text), ValueReader.TryReadDouble).Ok);
        Assert.False(Read<long>(Str(text), ValueReader.TryReadInt64).Ok);
        Assert.False(Read<ulong>(Str(text), ValueReader.TryReadUInt64).Ok);
    }

    [Theory]
    [InlineData("200", true, 200L)]
    [InlineData("9223372036854775807", true, long.MaxValue)]
    [InlineData("-9223372036854775808", true, long.MinValue)]
    [InlineData("-3.9", true, -3L)]
    [InlineData("1e3", true, 1000L)]
    [InlineData("9223372036854775808", false, 0L)]
    [InlineData("NaN", false, 0L)]
    public void IntegersParseExactlyAndDecimalsTruncate(string text, bool ok, long expected)
    {
        Assert.Equal((ok, expected), Read<long>(Str(text), ValueReader.TryReadInt64));
    }

    [Theory]
    [InlineData("18446744073709551615", true, ulong.MaxValue)]
    [InlineData("-0.5", true, 0UL)]
    [InlineData("-1", false, 0UL)]
    [InlineData("18446744073709551616", false, 0UL)]
    public void UnsignedIntegersParseExactlyAndDecimalsTruncate(string text, bool ok, ulong expected)
    {
        Assert.Equal((ok, expected), Read<ulong>(Str(text), ValueReader.TryReadUInt64));
    }

    [Theory]
    [InlineData(3.99, true, 3L)]
    [InlineData(-3.99, true, -3L)]
    [InlineData(-9223372036854775808.0, true, long.MinValue)]
    [InlineData(9223372036854775808.0, false, 0L)]
    [InlineData(9223372036854774784.0, true, 9223372036854774784L)]
    [InlineData(double.NaN, false, 0L)]
    [InlineData(double.NegativeInfinity, false, 0L)]
    public void FloatsTruncateIntoLongWithinItsRange(double number, bool ok, long expected)
    {
        Assert.Equal((ok, expected), Read<long>((ref MessagePackWriter w) => w.Write(number), ValueReader.TryReadInt64));
    }

    [Theory]
    [InlineData(-0.9, true, 0UL)]
    [InlineData(-1.0, false, 0UL)]
    [InlineData(18446744073709549568.0, true, 18446744073709549568UL)]
    [InlineData(18446744073709551616.0, false, 0UL)]
    [InlineData(double.PositiveInfinity, false, 0UL)]
    public void FloatsTruncateIntoULongWithinItsRange(double number, bool ok, ulong expected)
    {
        Assert.Equal((ok, expected), Read<ulong>((ref MessagePackWriter w) => w.Write(number), ValueReader.TryReadUInt64));
    }

    [Fact]
    public void NarrowIntegersCheckTheRangeOfStringsToo()
    {
        Assert.Equal((true, 200), Read<int>(Str("200"), ValueReader.TryReadInt32));
        Assert.False(Read<int>(Str("3000000000"), ValueReader.TryReadInt32).Ok);
        Assert.Equal((true, (byte)255), Read<byte>(Str("255.9"), ValueReader.TryReadByte));
        Assert.False(Read<byte>(Str("256"), ValueReader.TryReadByte).Ok);
        Assert.Equal((true, 0.042f), Read<float>(Str("0.042"), ValueReader.TryReadSingle));
    }

    [Theory]
    [InlineData("true", true, true)]
    [InlineData("FALSE", true, false)]
    [InlineData(" True ", true, true)]
    [InlineData("yes", false, false)]
    [InlineData("1", false, false)]
    public void BooleansReadFromTrueAndFalseStrings(string text, bool ok, bool expected)
    {
        Assert.Equal((ok, expected), Read<bool>(Str(text), ValueReader.TryReadBoolean));
    }

    [Fact]
    public void NumbersAreStillNotBooleans()
    {
        Assert.False(Read<bool>((ref MessagePackWriter w) => w.Write(1), ValueReader.TryReadBoolean).Ok);
    }

    public static TheoryData<string, WriteFunc> StringSources => new()
    {
        { "GET", (ref MessagePackWriter w) => w.Write("GET") },
        { "200", (ref MessagePackWriter w) => w.Write(200) },
        { "-5", (ref MessagePackWriter w) => w.Write(-5L) },
        { "18446744073709551615", (ref MessagePackWriter w) => w.Write(ulong.MaxValue) },
        { "0.042", (ref MessagePackWriter w) => w.Write(0.042) },
        { "0.1", (ref MessagePackWriter w) => w.Write(0.1f) },
        { "1E+21", (ref MessagePackWriter w) => w.Write(1e21) },
        { "true", (ref MessagePackWriter w) => w.Write(true) },
        { "", (ref MessagePackWriter w) => w.Write("") },
    };

    [Theory]
    [MemberData(nameof(StringSources))]
    public void StringsReadFromStringsNumbersAndBooleans(string expected, WriteFunc write)
    {
        var cache = new StringCache();
        Assert.Equal((true, expected), Read<string?>(write, (ref ChunkReader r, out string? v) => ValueReader.TryReadString(ref r, cache, out v)));
    }

    [Fact]
    public void NilMapsAndArraysAreNotStrings()
    {
        var cache = new StringCache();
        ReadFunc<string?> read = (ref ChunkReader r, out string? v) => ValueReader.TryReadString(ref r, cache, out v);

        Assert.Equal((false, null), Read((ref MessagePackWriter w) => w.WriteNil(), read));
        Assert.Equal((false, null), Read((ref MessagePackWriter w) => { w.WriteMapHeader(1); w.Write("a"); w.Write(1); }, read));
        Assert.Equal((false, null), Read((ref MessagePackWriter w) => { w.WriteArrayHeader(2); w.Write(1); w.Write("b"); }, read));
    }

    [Fact]
    public void InvalidUtf8IsReplacedAndReported()
    {
        var cache = new StringCache();
        byte[] bytes = Pack((ref MessagePackWriter w) => w.WriteString(new byte[] { 0x61, 0xFF }));
        var reader = new ChunkReader(bytes);

        Assert.True(ValueReader.TryReadString(ref reader, cache, out string? value, out bool replaced));
        Assert.Equal("a\uFFFD", value);
        Assert.True(replaced);
    }

    [Fact]
    public void TheCacheReturnsTheSameStringForTheSameBytesUpToItsCapacity()
    {
        var cache = new StringCache(capacity: 2, maxLength: 8);
        string Get(string s) => cache.Get(System.Text.Encoding.UTF8.GetBytes(s));

        Assert.Same(Get("GET"), Get("GET"));
        Assert.Same(Get("POST"), Get("POST"));
        Assert.Equal(2, cache.Count);

        // Full: later values are new strings each time, and the cache does not grow.
        Assert.Equal("PUT", Get("PUT"));
        Assert.NotSame(Get("PUT"), Get("PUT"));
        Assert.Equal(2, cache.Count);

        var wide = new StringCache(capacity: 10, maxLength: 8);
        byte[] longValue = "123456789"u8.ToArray();
        Assert.NotSame(wide.Get(longValue), wide.Get(longValue));
        Assert.Equal(0, wide.Count);
    }

    [Fact]
    public void Utf8IsTheChunksOwnBytes()
    {
        byte[] bytes = Pack((ref MessagePackWriter w) => w.Write("/api/items"));
        var reader = new ChunkReader(bytes.AsMemory());

        Assert.True(ValueReader.TryReadUtf8(ref reader, out ReadOnlyMemory<byte> value));
        Assert.True(MemoryMarshal.TryGetArray(value, out ArraySegment<byte> segment));
        Assert.Same(bytes, segment.Array);
        Assert.Equal("/api/items"u8.ToArray(), value.ToArray());
        Assert.Equal(7, reader.ReadInt64());

        Assert.False(Read<ReadOnlyMemory<byte>>((ref MessagePackWriter w) => w.Write(200), ValueReader.TryReadUtf8).Ok);
    }

    [Fact]
    public void ReadingNumericStringsAndCachedStringsAllocatesNothing()
    {
        var cache = new StringCache();
        byte[] bytes = Pack((ref MessagePackWriter w) =>
        {
            w.Write("0.042");
            w.Write("200");
            w.Write("18446744073709551615");
            w.Write("true");
            w.Write("GET");
            w.Write(404);
            w.Write(0.25);
            w.Write("/api/items");
        });
        long sum = 0;
        void ReadAll()
        {
            var reader = new ChunkReader(bytes);
            ValueReader.TryReadDouble(ref reader, out double d);
            ValueReader.TryReadInt64(ref reader, out long l);
            ValueReader.TryReadUInt64(ref reader, out ulong u);
            ValueReader.TryReadBoolean(ref reader, out bool b);
            ValueReader.TryReadString(ref reader, cache, out string? method);
            ValueReader.TryReadString(ref reader, cache, out string? status);
            ValueReader.TryReadString(ref reader, cache, out string? fraction);
            ValueReader.TryReadUtf8(ref reader, out ReadOnlyMemory<byte> path);
            sum += (long)(d * 1000) + l + (long)(u % 10) + (b ? 1 : 0) + method!.Length + status!.Length + fraction!.Length + path.Length;
        }

        Allocations.AssertNone(ReadAll);
        Assert.Equal((Allocations.Warmups + Allocations.Runs) * (42 + 200 + 5 + 1 + 3 + 3 + 4 + 10), sum);
    }

    [Fact]
    public void MetricValuesRefuseWhatTheMetricCannotTake()
    {
        var factory = Metrics.WithCustomRegistry(Metrics.NewCustomRegistry());
        Counter counter = factory.CreateCounter("c_total", "c");
        Gauge gauge = factory.CreateGauge("g", "g");
        Histogram histogram = factory.CreateHistogram("h", "h");
        Summary summary = factory.CreateSummary("s", "s");

        Assert.True(MetricValue.TryAdd(counter, 2.5));
        Assert.True(MetricValue.TryAdd(counter, 0));
        Assert.False(MetricValue.TryAdd(counter, -1));
        Assert.False(MetricValue.TryAdd(counter, double.PositiveInfinity));
        Assert.False(MetricValue.TryAdd(counter, double.NaN));
        Assert.Equal(2.5, counter.Value);

        Assert.True(MetricValue.TrySet(gauge, -4));
        Assert.False(MetricValue.TrySet(gauge, double.NaN));
        Assert.True(MetricValue.TryIncrement(gauge, 10));
        Assert.True(MetricValue.TryDecrement(gauge, 1));
        Assert.False(MetricValue.TryIncrement(gauge, double.NegativeInfinity));
        Assert.False(MetricValue.TryDecrement(gauge, double.NaN));
        Assert.Equal(5, gauge.Value);

        Assert.True(MetricValue.TryObserve(histogram, 0.3));
        Assert.False(MetricValue.TryObserve(histogram, double.NaN));
        Assert.Equal(1, histogram.Count);
        Assert.True(MetricValue.TryObserve(summary, -2));
        Assert.False(MetricValue.TryObserve(summary, double.PositiveInfinity));
        GC.KeepAlive(summary);
    }

    /// <summary>The short-decimal fast path gives exactly what <c>double.Parse</c> gives, or leaves the text to it.</summary>
    [Theory]
    [InlineData("0.042", true)]
    [InlineData("200", true)]
    [InlineData("-3.5", true)]
    [InlineData("-0", true)]
    [InlineData("007.250", true)]
    [InlineData("123456789012345", true)]
    [InlineData("0.00000000000001", true)]
    [InlineData("0.000000000000001", false)]
    [InlineData("9007199254740993", false)]
    [InlineData("1.", false)]
    [InlineData(".5", false)]
    [InlineData("+1", false)]
    [InlineData(" 1", false)]
    [InlineData("1e3", false)]
    [InlineData("1.2.3", false)]
    [InlineData("-", false)]
    [InlineData("", false)]
    public void ShortDecimalsParseAsDoubleParseDoes(string text, bool fast)
    {
        Assert.Equal(fast, ValueReader.TryParseShortDecimal(System.Text.Encoding.ASCII.GetBytes(text), out double value));
        if (fast)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
        }
    }

    [Fact]
    public void RandomShortDecimalsParseBitForBitAsDoubleParseDoes()
    {
        var random = new Random(19);
        for (int n = 0; n < 200_000; n++)
        {
            int whole = random.Next(1, 16);
            int fraction = random.Next(0, 16 - whole);
            string text = (random.Next(4) == 0 ? "-" : "") + Digits(random, whole) + (fraction > 0 ? "." + Digits(random, fraction) : "");
            Assert.True(ValueReader.TryParseShortDecimal(System.Text.Encoding.ASCII.GetBytes(text), out double value), text);
            Assert.True(BitConverter.DoubleToInt64Bits(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture)) == BitConverter.DoubleToInt64Bits(value), text);
        }
    }

    [Theory]
    [InlineData("200", true)]
    [InlineData("-3", true)]
    [InlineData("-0", true)]
    [InlineData("007", true)]
    [InlineData("999999999999999999", true)]
    [InlineData("-999999999999999999", true)]
    [InlineData("1000000000000000000", false)]
    [InlineData("+1", false)]
    [InlineData(" 1", false)]
    [InlineData("1 ", false)]
    [InlineData("1.0", false)]
    [InlineData("-", false)]
    [InlineData("", false)]
    public void ShortIntegersParseAsLongParseDoes(string text, bool fast)
    {
        Assert.Equal(fast, ValueReader.TryParseShortInteger(System.Text.Encoding.ASCII.GetBytes(text), out long value));
        if (fast)
        {
            Assert.Equal(long.Parse(text, System.Globalization.CultureInfo.InvariantCulture), value);
        }
    }

    [Theory]
    [InlineData("255", true, 255)]
    [InlineData("256", false, 0)]
    [InlineData("-1", false, 0)]
    [InlineData("-0", false, 0)]
    public void ShortIntegersStayInTheTypesRangeAndLeaveSignedUnsignedToTheGeneralParser(string text, bool fast, byte expected)
    {
        Assert.Equal(fast, ValueReader.TryParseShortInteger(System.Text.Encoding.ASCII.GetBytes(text), out byte value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("-2147483648", true, int.MinValue)]
    [InlineData("2147483647", true, int.MaxValue)]
    [InlineData("2147483648", false, 0)]
    [InlineData("-2147483649", false, 0)]
    public void ShortIntegersOutsideTheTypesRangeAreNotRead(string text, bool fast, int expected)
    {
        Assert.Equal(fast, ValueReader.TryParseShortInteger(System.Text.Encoding.ASCII.GetBytes(text), out int value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void RandomShortIntegersParseAsLongParseDoes()
    {
        var random = new Random(19);
        for (int n = 0; n < 100_000; n++)
        {
            string text = (random.Next(4) == 0 ? "-" : "") + Digits(random, random.Next(1, 19));
            Assert.True(ValueReader.TryParseShortInteger(System.Text.Encoding.ASCII.GetBytes(text), out long value), text);
            Assert.Equal(long.Parse(text, System.Globalization.CultureInfo.InvariantCulture), value);
        }
    }

    private static string Digits(Random random, int count)
    {
        char[] digits = new char[count];
        for (int i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + random.Next(10));
        }

        return new string(digits);
    }
}
