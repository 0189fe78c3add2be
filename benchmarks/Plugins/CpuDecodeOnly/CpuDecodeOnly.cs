using FluentBit.Plugins;

namespace CpuDecodeOnly;

/// <summary>
/// The benchmarks' "decode only" plugin for cpu records: the generated code reads every value the cpu sample
/// reads (the three machine-wide figures and, for the 2-core vectors, the six per-core keys its key pattern
/// matches) into the record, and feeds no metric. Its ApplyRecord is the sample's decoding without the updates.
/// </summary>
[FluentBitPlugin("cpu_decode_only", "Benchmark fixture: decodes cpu records, exports nothing")]
public sealed partial class CpuDecodeOnly : PrometheusExporter<CpuFields>
{
}

/// <summary>The values of a 2-core cpu record, no metrics.</summary>
public sealed class CpuFields
{
    [Key("cpu_p")]
    public double Total { get; set; }

    [Key("user_p")]
    public double User { get; set; }

    [Key("system_p")]
    public double System { get; set; }

    [Key("cpu0.p_cpu")]
    public double Cpu0Total { get; set; }

    [Key("cpu0.p_user")]
    public double Cpu0User { get; set; }

    [Key("cpu0.p_system")]
    public double Cpu0System { get; set; }

    [Key("cpu1.p_cpu")]
    public double Cpu1Total { get; set; }

    [Key("cpu1.p_user")]
    public double Cpu1User { get; set; }

    [Key("cpu1.p_system")]
    public double Cpu1System { get; set; }
}
