using System.ComponentModel;

namespace FluentBit.Plugins.CodeGen;

/// <summary>What the runtime reads from a plugin's generated <c>Instruments</c>: each metric's health, for self-metrics.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IPluginInstruments
{
    /// <summary>One entry per metric of the plugin.</summary>
    MetricHealth[] Health { get; }
}
