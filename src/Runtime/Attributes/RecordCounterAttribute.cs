using System;

namespace FluentBit.Plugins;

/// <summary>A counter incremented once for every record the plugin receives.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RecordCounterAttribute : Attribute
{
    /// <param name="name">The metric name, by convention ending in <c>_total</c>.</param>
    /// <param name="help">The HELP text.</param>
    public RecordCounterAttribute(string name, string help = "")
    {
        Name = name;
        Help = help;
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>The HELP text, or empty.</summary>
    public string Help { get; }
}
