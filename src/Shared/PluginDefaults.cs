namespace FluentBit.Plugins;

/// <summary>
/// Facts the generator and the runtime must agree on, compiled into both (as System.Text.Json's <c>Common/</c>):
/// the attributes' defaults that the generator reads when an argument is absent, and the labels Prometheus
/// reserves, which the generator refuses in <c>Labels</c> and the runtime refuses in <c>add_labels</c>.
/// </summary>
internal static class PluginDefaults
{
    /// <summary>The <c>http_port</c> of a plugin that declares no <c>DefaultHttpPort</c>: Fluent Bit's own prometheus_exporter port.</summary>
    public const int HttpPort = 2021;

    /// <summary>The series cap of a metric that declares no <c>MaxSeries</c>.</summary>
    public const int MaxSeries = 10_000;

    /// <summary>The sliding window of a summary that declares no <c>MaxAgeSeconds</c>, in seconds.</summary>
    public const double SummaryMaxAgeSeconds = 600;

    /// <summary>The label histograms name their buckets with.</summary>
    public const string BucketLabel = "le";

    /// <summary>The label summaries name their quantiles with.</summary>
    public const string QuantileLabel = "quantile";
}
