using System;

namespace FluentBit.Plugins;

/// <summary>A gauge set to (or moved by, see <see cref="Action"/>) the property's value each time a record has it.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GaugeAttribute : MetricAttribute
{
    /// <param name="name">The metric name, e.g. <c>cpu_usage_percent</c>.</param>
    /// <param name="help">The HELP text; may be omitted where another declaration of the same metric gives it.</param>
    public GaugeAttribute(string name, string help = "")
        : base(name, help)
    {
    }

    /// <summary>Set (the default), add or subtract the value.</summary>
    public GaugeAction Action { get; set; } = GaugeAction.Set;
}
