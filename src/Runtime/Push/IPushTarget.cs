using System;
using System.Net.Http;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Exposition;
using Prometheus;

namespace FluentBit.Plugins.Push;

/// <summary>
/// What one protocol adds to the delivery every push shares (<see cref="Pusher"/>, <see cref="PushClient"/>): how a
/// snapshot is encoded and labelled on the wire, and how the receiver's answer is judged (which statuses are retried,
/// what a 2xx body says).
/// </summary>
internal interface IPushTarget
{
    PushTargetConfig Config { get; }

    /// <summary>The protocol in log lines: <c>remote write</c>, <c>OTLP</c>.</summary>
    string Protocol { get; }

    /// <summary>What a push carries, for log lines and the self-metrics' names: <c>samples</c>, <c>data_points</c>.</summary>
    string Unit { get; }

    /// <summary>The infix of the target's self-metrics: <c>remote_write</c>, <c>otlp</c>.</summary>
    string SelfMetricsName { get; }

    /// <summary>Whether an accepted push can have been accepted in part (OTLP's partial success).</summary>
    bool HasPartialSuccess { get; }

    /// <summary>The exposition format a snapshot is taken in (OpenMetrics carries the exemplars).</summary>
    ExpositionFormat SnapshotFormat { get; }

    /// <summary>The request body for a snapshot taken at <paramref name="now"/>, valid until the next call.</summary>
    /// <param name="snapshot">The exposition a scrape would get now, in <see cref="SnapshotFormat"/>.</param>
    /// <param name="now">When the snapshot was taken: every point's time.</param>
    /// <param name="count">What the body carries, in <see cref="Unit"/>.</param>
    ReadOnlyMemory<byte> Encode(ExpositionSnapshot snapshot, DateTimeOffset now, out int count);

    /// <summary>Sets the body's content type and encoding and the protocol's headers.</summary>
    void Label(HttpRequestMessage request);

    /// <summary>How a push that got an answer ended.</summary>
    /// <param name="answer">The status, the start of the body and the <c>Retry-After</c> the receiver sent.</param>
    PushOutcome Judge(ReceiverAnswer answer);
}

/// <summary>A receiver's answer to one push: its status, the first bytes of its body, their content type and its <c>Retry-After</c>.</summary>
internal sealed class ReceiverAnswer(int status, string? reason, byte[] body, string? contentType, TimeSpan? retryAfter)
{
    public int Status { get; } = status;

    public string? Reason { get; } = reason;

    public byte[] Body { get; } = body;

    public string? ContentType { get; } = contentType;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The status and the receiver's message as text, for a log line.</summary>
    public string Describe(string message) => $"HTTP {Status} {Reason}: {(message.Length == 0 ? "(no message)" : message)}";
}
