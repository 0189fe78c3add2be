using System.Collections.Generic;
using FluentBit.Plugins.Generator.Model;

namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>
/// One place that declares a metric (a property's attribute, a pattern or a record counter) before the checks
/// that reconcile every declaration of the same metric. Options left at their defaults (empty buckets, 0 seconds)
/// take another declaration's value.
/// </summary>
internal sealed class MetricDeclaration
{
    public MetricDeclaration(string name, string help, MetricKind kind, LocationInfo? location)
    {
        Name = name;
        Help = help;
        Kind = kind;
        Location = location;
    }

    public string Name { get; }

    public string Help { get; }

    public MetricKind Kind { get; }

    public LocationInfo? Location { get; }

    /// <summary>Label names in the order they are exported: record-sourced labels first, then constants or captures.</summary>
    public List<string> LabelNames { get; } = new();

    /// <summary>The labels whose values come from properties (the attribute's Labels).</summary>
    public List<string> RecordLabels { get; } = new();

    /// <summary>Constant labels of this declaration (a property's [Label(name, value)]).</summary>
    public List<KeyValuePair<string, string>> ConstantLabels { get; } = new();

    public List<double> Buckets { get; set; } = new();

    public List<double> Quantiles { get; set; } = new();

    public double MaxAgeSeconds { get; set; } = PluginDefaults.SummaryMaxAgeSeconds;

    public int MaxSeries { get; set; } = PluginDefaults.MaxSeries;

    public SeriesOverflow Overflow { get; set; }

    public double ExpireAfterSeconds { get; set; }

    public GaugeAction Action { get; set; }

    /// <summary>The property whose value feeds the metric; null for patterns and record counters.</summary>
    public string? ValueProperty { get; set; }

    /// <summary>For a metric declared on the record class: its key pattern.</summary>
    public string? Pattern { get; set; }
}
