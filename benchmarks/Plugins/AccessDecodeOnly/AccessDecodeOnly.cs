using FluentBit.Plugins;

namespace AccessDecodeOnly;

/// <summary>
/// The benchmarks' "decode only" plugin for access-log records: the generated code reads the four values the
/// access-log sample reads (the method through a string cache, the status, request time and bytes converted
/// from numbers or numeric strings) into the record, and feeds no metric.
/// </summary>
[FluentBitPlugin("access_decode_only", "Benchmark fixture: decodes access-log records, exports nothing")]
public sealed partial class AccessDecodeOnly : PrometheusExporter<AccessFields>
{
}

/// <summary>The values of an access-log line the sample reads, no metrics.</summary>
public sealed class AccessFields
{
    [Key("method")]
    public string? Method { get; set; }

    [Key("status")]
    public int Status { get; set; }

    [Key("request_time")]
    public double RequestTime { get; set; }

    [Key("bytes")]
    public long Bytes { get; set; }
}
