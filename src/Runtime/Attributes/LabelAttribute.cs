using System;

namespace FluentBit.Plugins;

/// <summary>A constant label on every metric of the property it is placed on.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class LabelAttribute : Attribute
{
    /// <param name="name">The label name.</param>
    /// <param name="value">The label value.</param>
    public LabelAttribute(string name, string value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The label value.</summary>
    public string Value { get; }
}
