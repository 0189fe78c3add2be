using FluentBit.Plugins;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>A generated plugin that reads every numeric key of the vector sets, so decoding can be checked record by record.</summary>
[FluentBitPlugin("probe_exporter", "Decoding probe")]
public sealed partial class ProbeExporter : PrometheusExporter<ProbeRecord>
{
}

[RecordCounter("probe_records_total", "Records applied")]
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

    [Key("status"), Gauge("probe_status"), Counter("probe_status_sum_total")] public int Status { get; set; }

    [Key("latency"), Gauge("probe_latency"), Counter("probe_latency_sum_total")] public double Latency { get; set; }

    [Key("bytes"), Gauge("probe_bytes"), Counter("probe_bytes_sum_total")] public long Bytes { get; set; }

    [Key("big"), Gauge("probe_big")] public ulong Big { get; set; }

    [Key("ok"), Gauge("probe_ok")] public bool Ok { get; set; }

    [Key("none"), Gauge("probe_none")] public double None { get; set; }

    /// <summary>A string in the data: no number can be read from it, so it stays 0 and feeds nothing.</summary>
    [Key("method"), Gauge("probe_method")] public float Method { get; set; }
}
