using System;

namespace FluentBit.Plugins;

/// <summary>The record key a property is read from; without it the key is the property's name.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class KeyAttribute : Attribute
{
    /// <param name="name">The record key, exactly as Fluent Bit sends it.</param>
    public KeyAttribute(string name) => Name = name;

    /// <summary>The record key.</summary>
    public string Name { get; }
}
