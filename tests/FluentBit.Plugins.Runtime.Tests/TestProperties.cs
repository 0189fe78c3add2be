using System;
using System.Collections.Generic;
using FluentBit.Plugins.Configuration;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>An instance's properties as Fluent Bit gives them: case-insensitive keys, null when unset; remembers what was asked.</summary>
internal sealed class TestProperties : IPropertySource
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public TestProperties(params (string Key, string Value)[] pairs)
    {
        foreach ((string key, string value) in pairs)
        {
            _values[key] = value;
        }
    }

    public List<string> Asked { get; } = new();

    public string? Get(string key)
    {
        Asked.Add(key);
        return _values.TryGetValue(key, out string? value) ? value : null;
    }
}
