using System;

namespace FluentBit.Plugins;

/// <summary>
/// A histogram observing the property's value each time a record has it. Without buckets it uses
/// Prometheus' defaults: .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HistogramAttribute : MetricAttribute
{
    /// <param name="name">The metric name, e.g. <c>http_request_duration_seconds</c>.</param>
    /// <param name="help">The HELP text; may be omitted where another declaration of the same metric gives it.</param>
    public HistogramAttribute(string name, string help = "")
        : base(name, help)
    {
    }

    /// <summary>Upper bounds, strictly increasing (<c>+Inf</c> is implied).</summary>
    public double[] Buckets { get; set; } = [];

    /// <summary><c>[start, width, count]</c>: count buckets from start, width apart.</summary>
    public double[] LinearBuckets { get; set; } = [];

    /// <summary><c>[start, factor, count]</c>: count buckets from start, each factor times the previous.</summary>
    public double[] ExponentialBuckets { get; set; } = [];
}
