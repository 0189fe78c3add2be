using System;

namespace FluentBit.Plugins;

/// <summary>A counter incremented once for every record the plugin receives.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RecordCounterAttribute : Attribute
{
    public RecordCounterAttribute(string name, string help = "")
    {
        Name = name;
        Help = help;
    }

    public string Name { get; }

    public string Help { get; }
}
