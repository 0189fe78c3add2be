using System;

namespace FluentBit.Plugins;

/// <summary>Sets a gauge to the property's value each time a record carries its key.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class GaugeAttribute : Attribute
{
    /// <param name="name">The metric name, e.g. <c>cpu_usage_percent</c>.</param>
    /// <param name="help">The HELP text; may be omitted where another declaration of the same metric gives it.</param>
    public GaugeAttribute(string name, string help = "")
    {
        Name = name;
        Help = help;
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>The HELP text, or empty.</summary>
    public string Help { get; }
}
