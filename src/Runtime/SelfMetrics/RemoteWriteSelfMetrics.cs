using Prometheus;

namespace FluentBit.Plugins.SelfMetrics;

/// <summary>
/// The <c>fluentbit_plugin_remote_write_*</c> families of an instance that pushes: samples sent and failed (by the
/// push's result), pushes by result, the last success and the pushes in flight. Created only for an instance with
/// <c>remote_write_url</c>, so a scrape-only instance shows none of them.
/// </summary>
internal sealed class RemoteWriteSelfMetrics
{
    private const string Prefix = PluginSelfMetrics.Prefix + "remote_write_";

    private readonly Counter _samplesSent;
    private readonly Counter _samplesFailed;
    private readonly Counter _pushes;
    private readonly Gauge _lastSuccess;
    private readonly Gauge _inFlight;

    internal RemoteWriteSelfMetrics(MetricFactory factory, string[] failureResults)
    {
        _samplesSent = factory.CreateCounter(Prefix + "samples_sent_total", "Samples the remote-write receiver accepted");
        _samplesFailed = factory.CreateCounter(
            Prefix + "samples_failed_total",
            "Samples of pushes that failed, by result: rejected (a 4xx other than 429: dropped), throttled (429), server_error (5xx), unreachable or timeout (all four retried with a newer snapshot)",
            "result");
        _pushes = factory.CreateCounter(Prefix + "pushes_total", "Pushes (HTTP requests) to the remote-write receiver, by result", "result");
        _lastSuccess = factory.CreateGauge(Prefix + "last_success_timestamp_seconds", "When the receiver last accepted a push, in seconds since the Unix epoch (0: never)");
        _inFlight = factory.CreateGauge(Prefix + "pushes_in_flight", "Pushes sent and not yet answered (0 or 1: an instance pushes one at a time)");

        // Every result is exported from the start, so a rate() over a first failure sees it rise from 0.
        _pushes.WithLabels("ok");
        foreach (string result in failureResults)
        {
            _samplesFailed.WithLabels(result);
            _pushes.WithLabels(result);
        }
    }

    public void PushStarted() => _inFlight.Inc();

    public void PushSucceeded(int samples)
    {
        _inFlight.Dec();
        _samplesSent.Inc(samples);
        _pushes.WithLabels("ok").Inc();
        _lastSuccess.SetToCurrentTimeUtc();
    }

    /// <summary>A push cut short by Exit, which pushes once more at once: counted in neither direction.</summary>
    public void PushAbandoned() => _inFlight.Dec();

    public void PushFailed(string result, int samples)
    {
        _inFlight.Dec();
        _samplesFailed.WithLabels(result).Inc(samples);
        _pushes.WithLabels(result).Inc();
    }
}
