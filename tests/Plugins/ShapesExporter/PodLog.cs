using System;
using FluentBit.Plugins;

namespace ShapesExporter;

/// <summary>How serious a log line is; read from its name, case-insensitively, and exported as its name.</summary>
public enum Level
{
    Debug,
    Info,
    Warn,
    Error,
}

/// <summary>A container's log line, as Fluent Bit's kubernetes filter enriches it.</summary>
[Label("source", "shapes")]
[RecordCounter("pod_log_records_total", "Log lines by namespace, app, node and stream", Labels = ["namespace", "app", "node", "stream"])]
[RecordCounter("pod_log_levels_total", "Log lines by level and cache hit", Labels = ["level", "cached"])]
[RecordCounter("pod_log_users_total", "Log lines by user, at most three users", Labels = ["user"], MaxSeries = 3, Overflow = SeriesOverflow.FoldIntoOther)]
[RecordCounter("pod_log_sessions_total", "Log lines by session, dropped beyond two", Labels = ["session"], MaxSeries = 2)]
[RecordCounter("pod_log_tags_total", "Log lines by tag", Labels = ["tag"], ExpireAfterSeconds = 3600)]
[Counter("pod_io_bytes_total", "Bytes by direction, from the io_<dir> keys", KeyPattern = "io_{dir}")]
public sealed class PodLog
{
    [Key("$kubernetes['namespace_name']"), Label("namespace")]
    public string? Namespace { get; set; }

    [Key("$kubernetes['labels']['app']"), Label("app")]
    public string? App { get; set; }

    [Key("$kubernetes['container_ports'][1]"), Label("port")]
    public int Port { get; set; }

    [Tag(1), Label("node")]
    public string? Node { get; set; }

    [Tag, Label("tag")]
    public string? Tag { get; set; }

    [Metadata("stream"), Label("stream")]
    public string? Stream { get; set; }

    [Key("level"), Label("level")]
    public Level Level { get; set; }

    [Key("cached"), Label("cached")]
    public bool Cached { get; set; }

    [Key("user"), Label("user")]
    public string? User { get; set; }

    [Key("session"), Label("session")]
    public ReadOnlyMemory<byte> Session { get; set; }

    [Key("path")]
    public ReadOnlyMemory<byte> Path { get; set; }

    [Computed, Label("route")]
    public string? Route { get; set; }

    [Key("latency"), Summary("pod_request_latency_seconds", "Request latency by route", Labels = ["route"], Quantiles = [0.5, 0.9], MaxAgeSeconds = 600)]
    [Histogram("pod_request_duration_seconds", "Request latency by port", Labels = ["port"], LinearBuckets = [0.25, 0.25, 3])]
    public double Latency { get; set; }

    [Key("queued"), Gauge("pod_queue_depth", "Queue depth by app", Labels = ["app"], Action = GaugeAction.Add)]
    public long Queued { get; set; }

    [Key("dequeued"), Gauge("pod_queue_depth", Labels = ["app"], Action = GaugeAction.Subtract)]
    public long Dequeued { get; set; }

    [EventTime, Gauge("pod_last_event_time_seconds", "Time of the app's last event", Labels = ["app"])]
    public double Time { get; set; }

    [EventDelay, Histogram("pod_log_delay_seconds", "Seconds from an event's time to its flush", ExponentialBuckets = [1, 10, 3])]
    public double Delay { get; set; }
}
