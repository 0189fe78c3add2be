using System;

namespace FluentBit.Plugins;

/// <summary>
/// Adds the property's value to a counter each time a record carries its key.
/// Zero, negative and non-finite values are ignored: a counter never goes down.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class CounterAttribute : Attribute
{
    /// <param name="name">The metric name, by convention ending in <c>_total</c>.</param>
    /// <param name="help">The HELP text; may be omitted where another declaration of the same metric gives it.</param>
    public CounterAttribute(string name, string help = "")
    {
        Name = name;
        Help = help;
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>The HELP text, or empty.</summary>
    public string Help { get; }
}
