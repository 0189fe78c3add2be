namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>Metadata names of the runtime's attributes and base class.</summary>
internal static class KnownNames
{
    public const string PluginAttribute = "FluentBit.Plugins.FluentBitPluginAttribute";
    public const string ExporterBase = "FluentBit.Plugins.PrometheusExporter`1";
    public const string KeyAttribute = "FluentBit.Plugins.KeyAttribute";
    public const string GaugeAttribute = "FluentBit.Plugins.GaugeAttribute";
    public const string CounterAttribute = "FluentBit.Plugins.CounterAttribute";
    public const string LabelAttribute = "FluentBit.Plugins.LabelAttribute";
    public const string GaugeFromKeysAttribute = "FluentBit.Plugins.GaugeFromKeysAttribute";
    public const string RecordCounterAttribute = "FluentBit.Plugins.RecordCounterAttribute";

    /// <summary>The MSBuild property the plugin targets set; the .so is named after it.</summary>
    public const string PluginNameProperty = "build_property.FluentBitPluginName";
}
