using FluentBit.Plugins;

namespace MyExporter;

/// <summary>
/// One record as Fluent Bit passes it, such as <c>{"level":"info","service":"checkout","duration":0.042}</c>: each
/// property says which key it reads and which metrics it feeds. Every record counts in
/// <c>my_exporter_records_total{level}</c>; its duration is observed in <c>my_exporter_duration_seconds{service}</c>.
/// A record without a level, or without a duration, skips only the metric that needs it (and the skip is counted).
/// </summary>
[RecordCounter("my_exporter_records_total", "Records by level", Labels = ["level"])]
public sealed class LogRecord
{
    [Key("level"), Label("level")]
    public string? Level { get; set; }

    [Key("service"), Label("service")]
    public string? Service { get; set; }

    [Key("duration"), Histogram("my_exporter_duration_seconds", "Duration of the operation a record logs, in seconds", Labels = ["service"], Buckets = [0.01, 0.1, 1, 10])]
    public double Duration { get; set; }
}
