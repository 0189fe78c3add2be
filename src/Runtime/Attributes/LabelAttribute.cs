using System;

namespace FluentBit.Plugins;

/// <summary>
/// With one argument, on a property: the property's value is the label <c>name</c> of every metric that lists
/// it in <see cref="MetricAttribute.Labels"/>. With two: a constant label, on the metrics of the property it is
/// placed on, or on the record class for every metric.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LabelAttribute : Attribute
{
    /// <param name="name">The label the property's value becomes.</param>
    public LabelAttribute(string name)
    {
        Name = name;
    }

    /// <param name="name">The label name.</param>
    /// <param name="value">Its constant value.</param>
    public LabelAttribute(string name, string value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The constant value, or null when the property's value is the label's value.</summary>
    public string? Value { get; }
}
