using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Hosting;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>
/// The bad-input table of the README, case by case, through the runtime's FlushCtx with the generated probe plugin:
/// each bad record sits between two good ones in one chunk, and each test checks what the flush returns, what the
/// self-metrics count (exactly: every skip of every metric), that the good records are applied, and what is logged.
/// </summary>
public class BadInputTests
{
    private const string InvalidValue = "invalid_value";
    private const string InvalidLabel = "invalid_label";
    private const string MissingLabel = "missing_label";
    private const string MissingValue = "missing_value";

    // What each key of a good record feeds: as a value, and as a label.
    private static readonly string[] Status = ["probe_status", "probe_status_sum_total"];
    private static readonly string[] StatusLabel = ["probe_labelled_records_total", "probe_latency_seconds"];
    private static readonly string[] Latency = ["probe_latency", "probe_latency_sum_total", "probe_latency_seconds", "probe_latency_summary_seconds"];
    private static readonly string[] Bytes = ["probe_bytes", "probe_bytes_sum_total", "probe_bytes_moving"];
    private static readonly string[] AppLabel = ["probe_labelled_records_total", "probe_bytes_moving"];
    private static readonly string[] Labelled = ["probe_labelled_records_total"];

    /// <summary>A record that feeds every metric of the probe and skips none.</summary>
    internal static Dictionary<string, object?> Good() => new()
    {
        ["status"] = 200L,
        ["latency"] = 0.5,
        ["bytes"] = 10L,
        ["cpu_p"] = 1.5,
        ["Mem.total"] = 1000L,
        ["big"] = 7L,
        ["ok"] = true,
        ["none"] = 2.0,
        ["method"] = 1.25,
        ["i16"] = 1L,
        ["i8"] = 1L,
        ["u32"] = 1L,
        ["u16"] = 1L,
        ["u8"] = 1L,
        ["path"] = "/api/items",
        ["tags"] = new object?[] { "a", "b" },
        ["kubernetes"] = new Dictionary<string, object?> { ["labels"] = new Dictionary<string, object?> { ["app"] = "web", ["tier"] = "Front" } },
        ["cpu0.p_cpu"] = 3.0,
    };

    private static readonly object?[] NotNumbers = [null, true, "abc", "", new Dictionary<string, object?>(), new object?[] { 1L }, new byte[] { 1 }, new MessagePackValue.RawValue([0xd4, 0x01, 0x00])];

    /// <summary>Rows: the key (a path through maps with '/'), the bad value, and the (metric, reason) skips it must give, exactly.</summary>
    public static TheoryData<string, string, object?, (string Metric, string Reason)[]> Cases()
    {
        var data = new TheoryData<string, string, object?, (string, string)[]>();
        void Add(string name, string key, object? value, params IEnumerable<(string, string)>[] skips) =>
            data.Add(name, key, value, skips.SelectMany(s => s).ToArray());
        static IEnumerable<(string, string)> Each(string[] metrics, string reason) => metrics.Select(m => (m, reason));

        // Every wrong type, for every kind of value: double (gauge, counter, histogram, summary), long (gauge set and
        // subtract, counter), int (gauge, counter, and a label), float, ulong, the narrow integers, a key pattern.
        foreach (object? value in NotNumbers)
        {
            string type = Describe(value);
            Add($"latency {type}", "latency", value, Each(Latency, InvalidValue));
            Add($"bytes {type}", "bytes", value, Each(Bytes, InvalidValue));
            Add($"status {type}", "status", value, Each(Status, InvalidValue), Each(StatusLabel, InvalidLabel));
            Add($"method {type}", "method", value, Each(["probe_method"], InvalidValue));
            Add($"Mem.total {type}", "Mem.total", value, Each(["probe_mem_total"], InvalidValue));
            Add($"big {type}", "big", value, Each(["probe_big"], InvalidValue));
            Add($"i8 {type}", "i8", value, Each(["probe_i8"], InvalidValue));
            Add($"key pattern {type}", "cpu0.p_cpu", value, Each(["probe_core_percent"], InvalidValue));
        }

        // Booleans: numbers and other strings are not booleans.
        foreach (object? value in new object?[] { null, 1L, "maybe", new Dictionary<string, object?>(), new object?[] { true } })
        {
            Add($"ok {Describe(value)}", "ok", value, Each(["probe_ok"], InvalidValue), Each(Labelled, InvalidLabel));
        }

        // Label sources: a string (nested path), an enum (nested), an array element; numbers and booleans are strings.
        foreach (object? value in new object?[] { null, new Dictionary<string, object?>(), new object?[] { "web" }, new byte[] { 1 } })
        {
            Add($"app {Describe(value)}", "kubernetes/labels/app", value, Each(AppLabel, InvalidLabel));
            Add($"tags[1] {Describe(value)}", "tags", new object?[] { "a", value }, Each(Labelled, InvalidLabel));
        }

        Add("app a number", "kubernetes/labels/app", 42L);
        Add("tier not a member", "kubernetes/labels/tier", "Middle", Each(Labelled, InvalidLabel));
        Add("tier a number", "kubernetes/labels/tier", 1L, Each(Labelled, InvalidLabel));
        Add("tags not an array", "tags", "a.b", Each(Labelled, MissingLabel));
        Add("tags too short", "tags", new object?[] { "a" }, Each(Labelled, MissingLabel));
        Add("labels not a map", "kubernetes/labels", "web", Each(AppLabel, MissingLabel));
        Add("latency absent", "latency", Absent.Value, Each(Latency, MissingValue));

        // Not finite: read as doubles, refused by every metric; refused by integer properties when read.
        foreach (double value in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            Add($"latency {value}", "latency", value, Each(Latency, InvalidValue));
            Add($"bytes {value}", "bytes", value, Each(Bytes, InvalidValue));
            Add($"status {value}", "status", value, Each(Status, InvalidValue), Each(StatusLabel, InvalidLabel));
            Add($"method {value}", "method", (float)value, Each(["probe_method"], InvalidValue));
        }

        // A negative counter increment: the gauges still take it.
        Add("bytes negative", "bytes", -5L, Each(["probe_bytes_sum_total"], InvalidValue));

        // Integers beyond each property type's range, on both sides, as numbers and as strings.
        foreach ((string key, object? value) in new (string, object?)[]
        {
            ("status", 2147483648L), ("status", -2147483649L), ("status", "2147483648"),
            ("Mem.total", 9223372036854775808UL), ("Mem.total", "-9223372036854775809"), ("Mem.total", 1e19),
            ("big", -1L), ("big", "18446744073709551616"), ("big", -0.5e1),
            ("i16", 32768L), ("i16", -32769L), ("i8", 128L), ("i8", -129L),
            ("u32", 4294967296L), ("u32", -1L), ("u16", 65536L), ("u16", "-1"), ("u8", 256L), ("u8", -1L),
            ("method", 1e300),
        })
        {
            string metric = key == "Mem.total" ? "probe_mem_total" : $"probe_{key}";
            Add($"{key} out of range {value}", key, value, key == "status" ? Each(Status, InvalidValue).Concat(Each(StatusLabel, InvalidLabel)) : Each([metric], InvalidValue));
        }

        // 1 MB strings: as a label value (longer than a label may be), as a number, as a key the pattern captures.
        string mega = new('x', 1 << 20);
        Add("1 MB label value", "kubernetes/labels/app", mega, Each(AppLabel, InvalidLabel));
        Add("1 MB number", "status", new string('0', 1 << 20) + "200");
        Add("1 MB key", mega, 1L);
        Add("1 MB key the pattern captures", mega + ".p_cpu", 1.0, Each(["probe_core_percent"], InvalidLabel));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ABadValueSkipsOnlyWhatItFeedsAndTheGoodRecordsApply(string name, string key, object? value, (string Metric, string Reason)[] skips)
    {
        Dictionary<string, object?> bad = Good();
        Set(bad, key, value);
        using var instance = new RuntimeHarness();

        Assert.Equal(FlbConstants.Ok, instance.Flush(new ChunkBuilder().Event(Good()).Event(bad).Event(Good()).ToArray()));

        Dictionary<string, double> metrics = instance.Scrape();
        Assert.True(Skips(metrics).SequenceEqual(skips.Select(s => (s.Metric, s.Reason, 1.0)).Order()), $"{name}: skipped {string.Join(", ", Skips(metrics))}");
        Assert.Equal(3, metrics["probe_records_total"]);
        Assert.Equal(3, metrics["fluentbit_plugin_records_decoded_total"]);
        Assert.Equal(1, metrics[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "ok"))]);

        // The good records are applied whatever the bad one holds, and the bad one exactly where it is not skipped:
        // in the good records' series unless a label of it was skipped or changed ("app a number" exports app="42").
        bool Skipped(string metric) => skips.Any(s => s.Metric == metric);
        double labelled = Skipped("probe_labelled_records_total") || name == "app a number" ? 2 : 3;
        Assert.Equal(labelled, metrics[PrometheusText.Key("probe_labelled_records_total", ("app", "web"), ("ok", "true"), ("route", "api"), ("status", "200"), ("tag0", "tag"), ("tag1", "b"), ("tier", "Front"))]);
        Assert.Equal(Skipped("probe_bytes_sum_total") ? 20 : 30, metrics["probe_bytes_sum_total"]);
        Assert.Equal(Skipped("probe_latency_summary_seconds") ? 2 : 3, metrics["probe_latency_summary_seconds_count{route=\"api\"}"]);

        // A bad value is counted, never logged: nothing but the Init line.
        Assert.Single(instance.Log);
    }

    [Fact]
    public void NonStringKeysAreSkippedWithTheirValues()
    {
        Dictionary<string, object?> good = Good();
        good.Remove("status");
        var body = MessagePackValue.Map([.. good.Select(e => ((object?)e.Key, e.Value)), (1L, 5L), (Encoding.UTF8.GetBytes("status"), 404L), (null, 3L), (true, 1L), ("status", 200L)]);
        var onlyBinaryStatus = MessagePackValue.Map([.. good.Select(e => ((object?)e.Key, e.Value)), (Encoding.UTF8.GetBytes("status"), 404L)]);
        using var instance = new RuntimeHarness();

        Assert.Equal(FlbConstants.Ok, instance.Flush(new ChunkBuilder().Event(body).Event(onlyBinaryStatus).ToArray()));

        // A binary "status" is not the key "status": the first record reads 200, the second has no status.
        Dictionary<string, double> metrics = instance.Scrape();
        Assert.Equal(200, metrics["probe_status_sum_total"]);
        Assert.Equal(
            [("probe_labelled_records_total", MissingLabel, 1), ("probe_latency_seconds", MissingLabel, 1), ("probe_status", MissingValue, 1), ("probe_status_sum_total", MissingValue, 1)],
            Skips(metrics));
    }

    [Fact]
    public void InvalidUtf8InKeysIsNoKeyAndInLabelValuesIsReplacedAndCounted()
    {
        Dictionary<string, object?> bad = Good();
        bad.Remove("status");
        Set(bad, "kubernetes/labels/app", MessagePackValue.Str([0x77, 0xff, 0x62]));
        var body = MessagePackValue.Map([.. bad.Select(e => ((object?)e.Key, e.Value)), (MessagePackValue.Str([0x73, 0x74, 0xff, 0x74, 0x75, 0x73]), 200L), (MessagePackValue.Str([0xc0, 0xaf]), 1L)]);
        using var instance = new RuntimeHarness();

        Assert.Equal(FlbConstants.Ok, instance.Flush(new ChunkBuilder().Event(Good()).Event(body).ToArray()));

        Dictionary<string, double> metrics = instance.Scrape();
        Assert.Equal(-10, metrics[PrometheusText.Key("probe_bytes_moving", ("app", "w\uFFFDb"))]);
        Assert.Equal(1, metrics[PrometheusText.Key("fluentbit_plugin_label_values_replaced_total", ("metric", "probe_bytes_moving"))]);
        Assert.Equal(200, metrics["probe_status_sum_total"]);
        Assert.Contains(("probe_status", MissingValue, 1.0), Skips(metrics));
    }

    [Fact]
    public void ATruncatedChunkIsRefusedWholeWithOneLogLinePerInterval()
    {
        byte[] whole = new ChunkBuilder().Event(Good()).Event(Good()).Event(Good()).ToArray();
        using var instance = new RuntimeHarness();

        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(FlbConstants.Error, instance.Flush(whole[..^(1 + (i % 20))]));
        }

        Dictionary<string, double> metrics = instance.Scrape();
        Assert.False(metrics.ContainsKey("probe_records_total"), "nothing of a damaged chunk may be applied");
        Assert.Equal(0, metrics["fluentbit_plugin_records_decoded_total"]);
        Assert.Equal(100, metrics[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "error"))]);
        string line = Assert.Single(instance.Log, l => l.StartsWith("[error]"));
        Assert.Matches(@"^\[error\] \[probe_exporter\.\d+\] dropped a damaged \d+-byte chunk \(tag 'tag'\): an event body runs past the end of the chunk, at byte \d+ after 2 complete event\(s\); nothing of the chunk was applied$", line);

        // The next good chunk is applied.
        Assert.Equal(FlbConstants.Ok, instance.Flush(whole));
        Assert.Equal(3, instance.Scrape()["probe_records_total"]);
    }

    [Theory]
    [InlineData("an integer", new byte[] { 0x01 }, "an event is not a 2-element array [header, body]")]
    [InlineData("a map", new byte[] { 0x80 }, "an event is not a 2-element array [header, body]")]
    [InlineData("a 3-element array", new byte[] { 0x93, 0x01, 0x80, 0x80 }, "an event is not a 2-element array [header, body]")]
    [InlineData("a string header", new byte[] { 0x92, 0xa1, 0x61, 0x80 }, "an event does not start with a timestamp")]
    [InlineData("an empty header", new byte[] { 0x92, 0x90, 0x80 }, "an event header is not [timestamp, metadata]")]
    [InlineData("an ext 1 timestamp", new byte[] { 0x92, 0xd7, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x80 }, "an event does not start with a timestamp")]
    [InlineData("the unused code 0xc1", new byte[] { 0x92, 0x01, 0xc1 }, "an event body runs past the end of the chunk")]
    [InlineData("an inflated map count", new byte[] { 0x92, 0x01, 0xdf, 0x7f, 0xff, 0xff, 0xff, 0x01, 0x01 }, "an event body runs past the end of the chunk")]
    [InlineData("an inflated string length", new byte[] { 0x92, 0x01, 0xdb, 0xff, 0xff, 0xff, 0xff, 0x61 }, "an event body runs past the end of the chunk")]
    public void AnEventThatIsNotAnEventDamagesTheChunk(string name, byte[] damaged, string problem)
    {
        byte[] good = new ChunkBuilder().Event(Good()).ToArray();
        using var instance = new RuntimeHarness();

        Assert.Equal(FlbConstants.Error, instance.Flush([.. good, .. damaged, .. good]));

        Assert.False(instance.Scrape().ContainsKey("probe_records_total"), name);
        Assert.Contains(instance.Log, l => l.Contains($"): {problem}, at byte {good.Length} after 1 complete event(s)"));
    }

    [Fact]
    public void ABodyThatIsNotAMapIsARecordSkippedWholeAndCounted()
    {
        var chunk = new ChunkBuilder().Event(Good());
        foreach (object? body in new object?[] { "text", 1L, null, new object?[] { 1L }, MessagePackValue.Nested(10_000) })
        {
            chunk.Event(body);
        }

        byte[] bytes = chunk.Event(Good()).ToArray();
        using var instance = new RuntimeHarness();

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(FlbConstants.Ok, instance.Flush(bytes));
        }

        Dictionary<string, double> metrics = instance.Scrape();
        Assert.Equal(20, metrics["probe_records_total"]);
        Assert.Equal(50, metrics[PrometheusText.Key("fluentbit_plugin_records_skipped_total", ("reason", "not_a_map"))]);
        Assert.Equal(70, metrics["fluentbit_plugin_records_decoded_total"]);
        Assert.Empty(Skips(metrics));
        Assert.Matches(@"^\[warn\] \[probe_exporter\.\d+\] skipped event 1 of a chunk \(tag 'tag'\): its body is String, not a map$", Assert.Single(instance.Log, l => l.StartsWith("[warn]")));
    }

    /// <summary>
    /// 10,000 levels where a record accessor descends ($kubernetes['labels']['app'] and $tags[1]) and where nothing
    /// does, in the body and in the metadata, on a thread whose whole stack is 128 KiB: the skip is iterative.
    /// </summary>
    [Fact]
    public void DeepNestingCostsNoStackWhereAPathDescendsAndWhereItDoesNot()
    {
        const int Levels = 10_000;
        Dictionary<string, object?> descending = Good();
        Set(descending, "kubernetes/labels/app", MessagePackValue.Nested(Levels));
        Set(descending, "kubernetes/labels/tier", MessagePackValue.Nested(Levels, maps: true));
        Set(descending, "tags", new object?[] { "a", MessagePackValue.Nested(Levels) });
        Dictionary<string, object?> beside = Good();
        beside["deep"] = MessagePackValue.Nested(Levels, maps: true);
        Set(beside, "kubernetes/labels/other", MessagePackValue.Nested(Levels));
        Dictionary<string, object?> labelsDeep = Good();
        Set(labelsDeep, "kubernetes/labels", MessagePackValue.Nested(Levels));
        byte[] chunk = new ChunkBuilder()
            .Event(Good())
            .Event(descending)
            .Event(beside, new() { ["deep"] = MessagePackValue.Nested(Levels) })
            .Event(labelsDeep)
            .Event(Good())
            .ToArray();
        using var instance = new RuntimeHarness();

        int result = -1;
        var thread = new Thread(() => result = instance.Flush(chunk), 128 * 1024);
        thread.Start();
        thread.Join();

        Assert.Equal(FlbConstants.Ok, result);
        Dictionary<string, double> metrics = instance.Scrape();
        Assert.Equal(5, metrics["probe_records_total"]);
        Assert.Equal(
            [("probe_bytes_moving", InvalidLabel, 1), ("probe_bytes_moving", MissingLabel, 1), ("probe_labelled_records_total", InvalidLabel, 1), ("probe_labelled_records_total", MissingLabel, 1)],
            Skips(metrics));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void AnEmptyOrAbsentTagLeavesTagLabelsMissing(string? tag)
    {
        using var instance = new RuntimeHarness();

        Assert.Equal(FlbConstants.Ok, instance.Flush(new ChunkBuilder().Event(Good()).Event(Good()).ToArray(), tag));

        Dictionary<string, double> metrics = instance.Scrape();
        Assert.Equal(2, metrics["probe_records_total"]);
        Assert.Equal([("probe_labelled_records_total", MissingLabel, 2)], Skips(metrics));
    }

    [Fact]
    public void AZeroLengthChunkIsAnEmptyChunk()
    {
        using var instance = new RuntimeHarness();

        Assert.Equal(FlbConstants.Ok, instance.Flush([]));
        Assert.Equal(FlbConstants.Ok, instance.Flush(0, 0));

        Dictionary<string, double> metrics = instance.Scrape();
        Assert.Equal(2, metrics[PrometheusText.Key("fluentbit_plugin_chunks_flushed_total", ("result", "ok"))]);
        Assert.Equal(0, metrics["fluentbit_plugin_records_decoded_total"]);
        Assert.Single(instance.Log);
    }

    [Fact]
    public void AFlushForAnUnknownOrExitedContextIsDroppedWithoutTouchingAnything()
    {
        var instance = new RuntimeHarness();
        instance.Exit();
        try
        {
            Assert.Equal(FlbConstants.Error, instance.Flush(new ChunkBuilder().Event(Good()).ToArray()));
            Assert.Equal(FlbConstants.Error, PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.Flush(-1, 0, 0, 0));
            Assert.Equal(FlbConstants.Error, PluginRuntime<ProbeExporter, ProbeRecord, ProbeExporter.Instruments>.FlushOnOwnStack(-1, 0, 0, 0));
        }
        finally
        {
            instance.Dispose();
        }
    }

    /// <summary>(metric, reason, count) of every values_skipped_total series, in order.</summary>
    private static List<(string Metric, string Reason, double Count)> Skips(Dictionary<string, double> metrics)
    {
        const string Prefix = "fluentbit_plugin_values_skipped_total{metric=\"";
        return metrics.Where(m => m.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(m =>
            {
                string[] labels = m.Key[Prefix.Length..^2].Split("\",reason=\"");
                return (labels[0], labels[1], m.Value);
            })
            .Order()
            .ToList();
    }

    private static void Set(Dictionary<string, object?> body, string path, object? value)
    {
        string[] keys = path.Split('/');
        Dictionary<string, object?> map = body;
        foreach (string key in keys[..^1])
        {
            map = (Dictionary<string, object?>)map[key]!;
        }

        if (value is Absent)
        {
            map.Remove(keys[^1]);
            return;
        }

        map[keys[^1]] = value;
    }

    private static string Describe(object? value) => value switch
    {
        null => "nil",
        string s => $"string '{s}'",
        byte[] => "binary",
        MessagePackValue.RawValue => "extension",
        _ => value.GetType().Name,
    };

    /// <summary>A key the record does not have.</summary>
    private sealed class Absent
    {
        public static readonly Absent Value = new();
    }
}
