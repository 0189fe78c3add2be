using System;
using FluentBit.Plugins;

namespace AccessLogExporter;

/// <summary>
/// One access-log line: <c>{"remote":"10.0.0.7","method":"GET","path":"/api/items","status":200,"bytes":5120,"request_time":0.042,"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}</c>.
/// A line without <c>status</c> still counts in the duration and bytes metrics; only the request counter skips it
/// (and counts the skip in the exporter's self-metrics).
/// </summary>
[RecordCounter("http_requests_total", "HTTP requests by method and status", Labels = ["method", "status"])]
public sealed class AccessRecord
{
    [Key("method"), Label("method")]
    public string? Method { get; set; }

    [Key("status"), Label("status")]
    public int Status { get; set; }

    [Key("request_time"), Histogram("http_request_duration_seconds", "Time to serve a request, in seconds", Labels = ["method"])]
    public double RequestTime { get; set; }

    [Key("bytes"), Counter("http_response_bytes_total", "Bytes sent in response bodies", Labels = ["method"])]
    public long Bytes { get; set; }

    /// <summary>
    /// The trace id the request was served under (W3C Trace Context / OpenTelemetry, 32 hex digits), when the server logs
    /// one: the exemplar of the request counter, the duration histogram and the bytes counter, which links a latency
    /// spike on a dashboard to the slow request's trace. Read in place from the chunk: no string per record.
    /// </summary>
    [Key("trace_id"), Exemplar("trace_id")]
    public ReadOnlyMemory<byte> TraceId { get; set; }
}
