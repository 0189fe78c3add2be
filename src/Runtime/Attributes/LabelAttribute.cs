using System;

namespace FluentBit.Plugins;

/// <summary>A constant label on every metric of the property it is placed on.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class LabelAttribute : Attribute
{
    public LabelAttribute(string name, string value)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    public string Value { get; }
}
