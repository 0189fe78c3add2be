using System;

namespace FluentBit.Plugins.RemoteWrite;

/// <summary>How one push ended, as the self-metrics' <c>result</c> label names it.</summary>
internal enum PushResult
{
    /// <summary>2xx: the receiver took every sample.</summary>
    Ok,

    /// <summary>A 4xx other than 429 (or a redirect): the receiver refuses this request, sending it again would not help. Dropped.</summary>
    Rejected,

    /// <summary>429: the receiver asks to slow down. Retried after its <c>Retry-After</c>, or the backoff.</summary>
    Throttled,

    /// <summary>5xx. Retried with backoff.</summary>
    ServerError,

    /// <summary>No connection, a reset, a TLS failure: retried with backoff.</summary>
    Unreachable,

    /// <summary>No answer within <c>remote_write_timeout</c>: retried with backoff.</summary>
    Timeout,
}

/// <summary>One push's result, the status and start of the receiver's message for a log line, and its <c>Retry-After</c>.</summary>
internal readonly record struct PushOutcome(PushResult Result, string Detail, TimeSpan? RetryAfter)
{
    public bool Retried => Result is PushResult.Throttled or PushResult.ServerError or PushResult.Unreachable or PushResult.Timeout;
}

internal static class PushResults
{
    public static readonly PushResult[] Failures =
        [PushResult.Rejected, PushResult.Throttled, PushResult.ServerError, PushResult.Unreachable, PushResult.Timeout];

    public static string LabelValue(this PushResult result) => result switch
    {
        PushResult.Ok => "ok",
        PushResult.Rejected => "rejected",
        PushResult.Throttled => "throttled",
        PushResult.ServerError => "server_error",
        PushResult.Unreachable => "unreachable",
        PushResult.Timeout => "timeout",
        _ => throw new ArgumentOutOfRangeException(nameof(result)),
    };
}
