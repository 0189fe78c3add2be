using System;

namespace FluentBit.Plugins;

/// <summary>A summary observing the property's value each time a record has it, with quantiles over a sliding window.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SummaryAttribute : MetricAttribute
{
    /// <param name="name">The metric name, e.g. <c>http_response_size_bytes</c>.</param>
    /// <param name="help">The HELP text; may be omitted where another declaration of the same metric gives it.</param>
    public SummaryAttribute(string name, string help = "")
        : base(name, help)
    {
    }

    /// <summary>Quantiles to export, each in (0, 1); by default none, so only _sum and _count are exported.</summary>
    public double[] Quantiles { get; set; } = [];

    /// <summary>The sliding window the quantiles cover, in seconds (default 600).</summary>
    public double MaxAgeSeconds { get; set; } = PluginDefaults.SummaryMaxAgeSeconds;
}
