using System;

namespace FluentBit.Plugins;

/// <summary>The record key a property is read from; without it the key is the property's name.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class KeyAttribute : Attribute
{
    public KeyAttribute(string name) => Name = name;

    public string Name { get; }
}
