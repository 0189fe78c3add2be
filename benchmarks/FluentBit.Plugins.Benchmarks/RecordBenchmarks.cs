using BenchmarkDotNet.Attributes;
using AccessDecodeOnlyPlugin = global::AccessDecodeOnly.AccessDecodeOnly;
using AccessFields = global::AccessDecodeOnly.AccessFields;
using AccessLogPlugin = global::AccessLogExporter.AccessLogExporter;
using AccessRecord = global::AccessLogExporter.AccessRecord;
using CpuDecodeOnlyPlugin = global::CpuDecodeOnly.CpuDecodeOnly;
using CpuFields = global::CpuDecodeOnly.CpuFields;
using CpuPlugin = global::CpuExporter.CpuExporter;
using CpuRecord = global::CpuExporter.CpuRecord;
using PodLog = global::ShapesExporter.PodLog;
using ShapesPlugin = global::ShapesExporter.ShapesExporter;

namespace FluentBit.Plugins.Benchmarks;

// Every benchmark here walks a whole record set per invocation; OperationsPerInvoke is its number of events,
// so BenchmarkDotNet reports time and allocated bytes per record. Every plugin runs once in the setup, so the
// measured flushes find every series already created: the steady state.

/// <summary>Fluent Bit's cpu input, 2 cores: 4 real events repeated into a 500-event chunk.</summary>
public class CpuRecords
{
    private const int Records = Datasets.ChunkEvents;
    private readonly Dataset _data = Datasets.Cpu();
    private readonly NaiveCpuPlugin _naive = new();
    private readonly Flush.Instance<CpuDecodeOnlyPlugin, CpuFields, CpuDecodeOnlyPlugin.Instruments> _decode = new();
    private readonly Flush.Instance<CpuPlugin, CpuRecord, CpuPlugin.Instruments> _plugin = new();
    private readonly Flush.RuntimeInstance<CpuPlugin, CpuRecord, CpuPlugin.Instruments> _runtime = new();

    [GlobalSetup]
    public void Setup()
    {
        _naive.Flush(_data);
        _decode.Flush(_data);
        _plugin.Flush(_data);
        _runtime.Flush(_data);
    }

    [GlobalCleanup]
    public void Cleanup() => _runtime.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public void Floor() => Flush.SkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void SpanFloor() => Flush.SpanSkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Headers() => Flush.ReadHeaders(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Naive() => _naive.Flush(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void DecodeOnly() => _decode.Flush(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Generated() => _plugin.Flush(_data);

    /// <summary>The <c>.so</c>'s whole flush path: the structural check, then decode and apply, then the self-metrics.</summary>
    [Benchmark(OperationsPerInvoke = Records)]
    public void FlushPath() => _runtime.Flush(_data);
}

/// <summary>
/// The same events in one chunk of 5,400 (about what a busy Fluent Bit flushes: 300,000 tailed records came as 56
/// chunks), so the cost of a large chunk (two passes over it: the structural check, then the decode) shows in
/// process too.
/// </summary>
public class CpuLargeChunkRecords
{
    private const int Records = Datasets.LargeChunkEvents;
    private readonly Dataset _data = Datasets.CpuLargeChunk();
    private readonly Flush.Instance<CpuPlugin, CpuRecord, CpuPlugin.Instruments> _plugin = new();
    private readonly Flush.RuntimeInstance<CpuPlugin, CpuRecord, CpuPlugin.Instruments> _runtime = new();

    // Fluent Bit flushes a chunk its input wrote long before, out of every cache; the chunk above stays in the L3
    // cache between iterations. 64 copies (70 MB, beyond the L3 of the machines here) flushed in turn show that cost.
    private readonly Dataset[] _cold = Datasets.CpuLargeChunkCopies(64);
    private int _nextCold;

    [GlobalSetup]
    public void Setup()
    {
        _plugin.Flush(_data);
        _runtime.Flush(_data);
    }

    [GlobalCleanup]
    public void Cleanup() => _runtime.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public void Floor() => Flush.SkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void SpanFloor() => Flush.SpanSkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Generated() => _plugin.Flush(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void FlushPath() => _runtime.Flush(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void FlushPathCold() => _runtime.Flush(_cold[_nextCold++ % _cold.Length]);
}

/// <summary>The real cpu chunks as the cpu input flushes them, one event each: what a flush costs beyond its records.</summary>
public class CpuFlushes
{
    private const int Records = 4;
    private readonly Dataset _data = Datasets.CpuFlushes();
    private readonly Flush.Instance<CpuPlugin, CpuRecord, CpuPlugin.Instruments> _plugin = new();

    [GlobalSetup]
    public void Setup() => _plugin.Flush(_data);

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public void Floor() => Flush.SkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void SpanFloor() => Flush.SpanSkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Generated() => _plugin.Flush(_data);
}

/// <summary>The access-log sample over its own lines, typed (json parser) or all strings (regex parser), 500 events.</summary>
public class AccessLogRecords
{
    private const int Records = Datasets.ChunkEvents;
    private readonly NaiveAccessLogPlugin _naive = new();
    private readonly Flush.Instance<AccessDecodeOnlyPlugin, AccessFields, AccessDecodeOnlyPlugin.Instruments> _decode = new();
    private readonly Flush.Instance<AccessLogPlugin, AccessRecord, AccessLogPlugin.Instruments> _plugin = new();
    private Dataset _data = null!;

    [Params("typed", "strings")]
    public string Values { get; set; } = "typed";

    [GlobalSetup]
    public void Setup()
    {
        _data = Datasets.AccessLog(strings: Values == "strings");
        _naive.Flush(_data);
        _decode.Flush(_data);
        _plugin.Flush(_data);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public void Floor() => Flush.SkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void SpanFloor() => Flush.SpanSkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Headers() => Flush.ReadHeaders(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Naive() => _naive.Flush(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void DecodeOnly() => _decode.Flush(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Generated() => _plugin.Flush(_data);
}

/// <summary>
/// The real burst vectors ({status, method, path, latency}) through the access-log plugins: method and status
/// feed the request counter; request_time and bytes are missing, so their metrics count a skip per record.
/// </summary>
public class BurstRecords
{
    private const int Records = Datasets.BurstEvents;
    private readonly Dataset _data = Datasets.Burst();
    private readonly NaiveAccessLogPlugin _naive = new();
    private readonly Flush.Instance<AccessDecodeOnlyPlugin, AccessFields, AccessDecodeOnlyPlugin.Instruments> _decode = new();
    private readonly Flush.Instance<AccessLogPlugin, AccessRecord, AccessLogPlugin.Instruments> _plugin = new();

    [GlobalSetup]
    public void Setup()
    {
        _naive.Flush(_data);
        _decode.Flush(_data);
        _plugin.Flush(_data);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public void Floor() => Flush.SkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void SpanFloor() => Flush.SpanSkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Headers() => Flush.ReadHeaders(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Naive() => _naive.Flush(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void DecodeOnly() => _decode.Flush(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Generated() => _plugin.Flush(_data);
}

/// <summary>The shapes test plugin (nested accessors, metadata, tag parts, every metric kind) with its C# OnRecord hook.</summary>
public class ShapesRecords
{
    private const int Records = Datasets.ChunkEvents;
    private readonly Dataset _data = Datasets.Shapes();
    private readonly Flush.Instance<ShapesPlugin, PodLog, ShapesPlugin.Instruments> _plugin = new();

    [GlobalSetup]
    public void Setup() => _plugin.Flush(_data);

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public void Floor() => Flush.SkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void SpanFloor() => Flush.SpanSkipEvents(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Headers() => Flush.ReadHeaders(_data);

    [Benchmark(OperationsPerInvoke = Records)]
    public void Generated() => _plugin.Flush(_data);
}
