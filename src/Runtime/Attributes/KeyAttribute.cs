using System;

namespace FluentBit.Plugins;

/// <summary>
/// Where in the record body a property is read from: a top-level key (<c>"status"</c>; dots are literal, so
/// <c>"cpu0.p_cpu"</c> is one key), or a Fluent Bit record accessor into nested maps and arrays
/// (<c>"$kubernetes['labels']['app']"</c>). Without it the key is the property's name.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class KeyAttribute : Attribute
{
    /// <param name="name">The key, exactly as Fluent Bit sends it, or a record accessor starting with <c>$</c>.</param>
    public KeyAttribute(string name) => Name = name;

    /// <summary>The key or record accessor.</summary>
    public string Name { get; }
}
