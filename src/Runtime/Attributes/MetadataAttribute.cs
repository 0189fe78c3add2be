using System;

namespace FluentBit.Plugins;

/// <summary>
/// The property is read from the event's metadata map (Fluent Bit 2.1 and later), by key or record accessor,
/// instead of from the body.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class MetadataAttribute : Attribute
{
    /// <param name="name">The metadata key, or a record accessor starting with <c>$</c>.</param>
    public MetadataAttribute(string name) => Name = name;

    /// <summary>The key or record accessor.</summary>
    public string Name { get; }
}
