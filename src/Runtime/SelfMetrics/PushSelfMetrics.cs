using Prometheus;

namespace FluentBit.Plugins.SelfMetrics;

/// <summary>
/// The self-metrics of one push target of an instance (<c>fluentbit_plugin_remote_write_*</c> or
/// <c>fluentbit_plugin_otlp_*</c>): what was sent and what failed (by the push's result), pushes by result, the last
/// success and the pushes in flight; for OTLP also the data points a receiver rejected of an accepted push (its partial
/// success). Created only for a target that is configured, so an instance shows only the families of its pushes.
/// </summary>
internal sealed class PushSelfMetrics
{
    private readonly Counter _sent;
    private readonly Counter _failed;
    private readonly Counter _pushes;
    private readonly Counter? _rejected;
    private readonly Gauge _lastSuccess;
    private readonly Gauge _inFlight;

    /// <param name="factory">The self-metrics registry's factory.</param>
    /// <param name="target">The families' infix: <c>remote_write</c> or <c>otlp</c>.</param>
    /// <param name="unit">What a push carries, in the families' names: <c>samples</c> or <c>data_points</c>.</param>
    /// <param name="receiver">The receiver in help texts, such as <c>remote-write receiver</c>.</param>
    /// <param name="failureResults">Every value the <c>result</c> label of a failed push can take.</param>
    /// <param name="partialSuccess">Whether the receiver can accept a push in part (OTLP).</param>
    internal PushSelfMetrics(MetricFactory factory, string target, string unit, string receiver, string[] failureResults, bool partialSuccess)
    {
        string prefix = PluginSelfMetrics.Prefix + target + "_";
        string what = unit.Replace('_', ' ');
        _sent = factory.CreateCounter(prefix + unit + "_sent_total", $"{Capitalized(what)} the {receiver} accepted");
        _failed = factory.CreateCounter(
            prefix + unit + "_failed_total",
            $"{Capitalized(what)} of pushes that failed, by result: rejected (a 4xx other than 429: dropped), throttled (429), server_error (5xx), unreachable or timeout (retried with a newer snapshot, as the README's delivery table says)",
            "result");
        _pushes = factory.CreateCounter(prefix + "pushes_total", $"Pushes (HTTP requests) to the {receiver}, by result", "result");
        _lastSuccess = factory.CreateGauge(prefix + "last_success_timestamp_seconds", "When the receiver last accepted a push, in seconds since the Unix epoch (0: never)");
        _inFlight = factory.CreateGauge(prefix + "pushes_in_flight", "Pushes sent and not yet answered (0 or 1: an instance pushes one at a time)");
        if (partialSuccess)
        {
            _rejected = factory.CreateCounter(prefix + unit + "_rejected_total", $"{Capitalized(what)} the {receiver} rejected of pushes it accepted (its partial success)");
        }

        // Every result is exported from the start, so a rate() over a first failure sees it rise from 0.
        _pushes.WithLabels("ok");
        foreach (string result in failureResults)
        {
            _failed.WithLabels(result);
            _pushes.WithLabels(result);
        }
    }

    public void PushStarted() => _inFlight.Inc();

    /// <param name="sent">What the push carried.</param>
    /// <param name="rejected">What the receiver said it rejected of it (OTLP's partial success), counted apart.</param>
    public void PushSucceeded(int sent, long rejected = 0)
    {
        _inFlight.Dec();
        _sent.Inc(sent - rejected);
        _rejected?.Inc(rejected);
        _pushes.WithLabels("ok").Inc();
        _lastSuccess.SetToCurrentTimeUtc();
    }

    /// <summary>A push cut short by Exit, which pushes once more at once: counted in neither direction.</summary>
    public void PushAbandoned() => _inFlight.Dec();

    public void PushFailed(string result, int samples)
    {
        _inFlight.Dec();
        _failed.WithLabels(result).Inc(samples);
        _pushes.WithLabels(result).Inc();
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
