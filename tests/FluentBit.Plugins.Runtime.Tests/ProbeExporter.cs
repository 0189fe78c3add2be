using System;
using System.Threading;
using FluentBit.Plugins;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>A generated plugin that reads every numeric key of the vector sets, so decoding can be checked record by record.</summary>
[FluentBitPlugin("probe_exporter", "Decoding probe")]
public sealed partial class ProbeExporter : PrometheusExporter<ProbeRecord>
{
    /// <summary>
    /// Test-only: a record whose path is <c>/rendezvous</c> waits here (at most 30 s) until as many flushes as the
    /// barrier has participants reach it, so a test can prove that flushes ran at the same time, each on its own thread.
    /// </summary>
    internal static Barrier? Rendezvous { get; set; }

    /// <summary>
    /// Test-only: a record whose path is <c>/hold</c> sets <see cref="Holding"/> and then waits (at most 30 s) until
    /// <see cref="HoldUntil"/> is true, so a test can act while a flush is provably in flight.
    /// </summary>
    internal static Func<bool>? HoldUntil { get; set; }

    internal static ManualResetEventSlim? Holding { get; set; }

    /// <summary>Derives a route without allocating: the path stays in the chunk, the routes are constants.</summary>
    private static bool OnRecord(ProbeRecord record, in EventContext context)
    {
        if (record.Path.Span.SequenceEqual("/rendezvous"u8) && Rendezvous is { } rendezvous && !rendezvous.SignalAndWait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("the other flushes never reached the rendezvous");
        }

        if (record.Path.Span.SequenceEqual("/hold"u8) && HoldUntil is { } until)
        {
            Holding?.Set();
            if (!SpinWait.SpinUntil(until, TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("the hold was never released");
            }
        }

        record.Route = record.Path.Span.StartsWith("/api"u8) ? "api" : "other";
        return true;
    }
}

/// <summary>A Kubernetes tier, read from its name and exported as it.</summary>
public enum Tier
{
    Front,
    Back,
}

[RecordCounter("probe_records_total", "Records applied")]
[RecordCounter("probe_labelled_records_total", "Records by every kind of label source", Labels = ["status", "ok", "app", "tier", "tag1", "route", "tag0"])]
[Gauge("probe_core_percent", "Per-core keys", KeyPattern = "{cpu}.p_{mode:cpu=total}")]
public sealed class ProbeRecord
{
    [Key("cpu_p"), Gauge("probe_cpu_percent", "cpu_p")] public double CpuP { get; set; }

    [Key("user_p")] public double UserP { get; set; }

    [Key("system_p")] public double SystemP { get; set; }

    [Key("Mem.total"), Gauge("probe_mem_total")] public long MemTotal { get; set; }

    [Key("Mem.used")] public long MemUsed { get; set; }

    [Key("Mem.free")] public ulong MemFree { get; set; }

    [Key("Swap.total")] public int SwapTotal { get; set; }

    [Key("status"), Gauge("probe_status"), Counter("probe_status_sum_total"), Label("status")] public int Status { get; set; }

    [Key("latency"), Gauge("probe_latency"), Counter("probe_latency_sum_total")]
    [Histogram("probe_latency_seconds", Labels = ["status"]), Summary("probe_latency_summary_seconds", Labels = ["route"])]
    public double Latency { get; set; }

    [Key("bytes"), Gauge("probe_bytes"), Counter("probe_bytes_sum_total"), Gauge("probe_bytes_moving", Labels = ["app"], Action = GaugeAction.Subtract)] public long Bytes { get; set; }

    [Key("$kubernetes['labels']['app']"), Label("app")] public string? App { get; set; }

    [Key("$kubernetes['labels']['tier']"), Label("tier")] public Tier Tier { get; set; }

    [Key("$tags[1]"), Label("tag1")] public string? Tag1 { get; set; }

    [Tag(0), Label("tag0")] public string? Tag0 { get; set; }

    // The path stands in for a trace id: the burst vectors' records carry one, so the flushes exercise exemplars.
    [Key("path"), Exemplar("trace_id")] public ReadOnlyMemory<byte> Path { get; set; }

    [Computed, Label("route")] public string? Route { get; set; }

    [EventDelay, Histogram("probe_delay_seconds", ExponentialBuckets = [1, 10, 12])] public double Delay { get; set; }

    [Key("big"), Gauge("probe_big")] public ulong Big { get; set; }

    [Key("ok"), Gauge("probe_ok"), Label("ok")] public bool Ok { get; set; }

    [Key("none"), Gauge("probe_none")] public double None { get; set; }

    [Key("i16"), Gauge("probe_i16")] public short I16 { get; set; }

    [Key("i8"), Gauge("probe_i8")] public sbyte I8 { get; set; }

    [Key("u32"), Gauge("probe_u32")] public uint U32 { get; set; }

    [Key("u16"), Gauge("probe_u16")] public ushort U16 { get; set; }

    [Key("u8"), Gauge("probe_u8")] public byte U8 { get; set; }

    /// <summary>A string in the data: no number can be read from it, so it stays 0 and feeds nothing.</summary>
    [Key("method"), Gauge("probe_method")] public float Method { get; set; }
}
