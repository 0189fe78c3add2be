using System.Collections.Generic;
using FluentBit.Plugins.Generator.Model;

namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>One place that declares a metric (a property's attribute, a pattern, a record counter), before the checks that reconcile them.</summary>
internal sealed class MetricDeclaration
{
    public MetricDeclaration(string name, string help, MetricKind kind, List<string> labelNames, LocationInfo? location)
    {
        Name = name;
        Help = help;
        Kind = kind;
        LabelNames = labelNames;
        Location = location;
    }

    public string Name { get; }

    public string Help { get; }

    public MetricKind Kind { get; }

    public List<string> LabelNames { get; }

    public LocationInfo? Location { get; }
}
