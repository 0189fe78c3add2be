using System;

namespace FluentBit.Plugins;

/// <summary>
/// Marks the one class of an assembly that becomes a Fluent Bit output plugin.
/// The class must be <c>partial</c> and derive from <see cref="PrometheusExporter{TRecord}"/>;
/// the source generator adds the native entry points Fluent Bit looks up.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class FluentBitPluginAttribute : Attribute
{
    /// <param name="name">The short name used in <c>-o name</c> / <c>[OUTPUT] Name</c>: lower-case letters, digits and '_'.</param>
    /// <param name="description">One line shown by Fluent Bit.</param>
    public FluentBitPluginAttribute(string name, string description)
    {
        Name = name;
        Description = description;
    }

    /// <summary>The plugin name used in <c>-o name</c>.</summary>
    public string Name { get; }

    /// <summary>The one-line description Fluent Bit shows.</summary>
    public string Description { get; }

    /// <summary>The <c>http_port</c> an instance listens on when its config does not set one.</summary>
    public int DefaultHttpPort { get; set; } = PluginDefaults.HttpPort;
}
