using System;

namespace FluentBit.Plugins.Push;

/// <summary>How one push ended, as the self-metrics' <c>result</c> label names it.</summary>
internal enum PushResult
{
    /// <summary>2xx: the receiver took the request (an OTLP receiver may still reject part of it: a partial success).</summary>
    Ok,

    /// <summary>A 4xx other than 429 (or a redirect): the receiver refuses this request, sending it again would not help. Dropped.</summary>
    Rejected,

    /// <summary>429: the receiver asks to slow down. Retried after its <c>Retry-After</c>, or the backoff.</summary>
    Throttled,

    /// <summary>5xx. Retried with backoff, but for the codes a target's protocol says not to retry (OTLP: 500, 501 ...).</summary>
    ServerError,

    /// <summary>No connection, a reset, a TLS failure: retried with backoff.</summary>
    Unreachable,

    /// <summary>No answer within the target's timeout: retried with backoff.</summary>
    Timeout,
}

/// <summary>
/// One push's result, whether it is retried (the target's protocol decides), the status and start of the receiver's
/// message for a log line, its <c>Retry-After</c>, and what an OTLP receiver said it rejected of an accepted request.
/// </summary>
internal readonly struct PushOutcome(PushResult result, bool retried, string detail, TimeSpan? retryAfter, PartialSuccess? partial = null)
{
    public PushResult Result { get; } = result;

    public bool Retried { get; } = retried;

    public string Detail { get; } = detail;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public PartialSuccess? Partial { get; } = partial;

    public static PushOutcome Accepted(string detail, PartialSuccess? partial = null) => new(PushResult.Ok, false, detail, null, partial);

    public static PushOutcome Dropped(PushResult result, string detail) => new(result, false, detail, null);

    public static PushOutcome Retry(PushResult result, string detail, TimeSpan? retryAfter = null) => new(result, true, detail, retryAfter);
}

/// <summary>An accepted OTLP request of which the receiver rejected <see cref="Rejected"/> data points, saying why.</summary>
internal readonly struct PartialSuccess(long rejected, string message)
{
    public long Rejected { get; } = rejected;

    public string Message { get; } = message;
}

// Plain structs rather than record structs: a record brings printing and equality members that NativeAOT compiles into every .so.

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
