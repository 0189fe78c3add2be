namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>Metadata names of the runtime's attributes and types the generator looks for.</summary>
internal static class KnownNames
{
    public const string PluginAttribute = "FluentBit.Plugins.FluentBitPluginAttribute";
    public const string ExporterBase = "FluentBit.Plugins.PrometheusExporter`1";
    public const string EventContext = "FluentBit.Plugins.EventContext";
    public const string KeyAttribute = "FluentBit.Plugins.KeyAttribute";
    public const string MetadataAttribute = "FluentBit.Plugins.MetadataAttribute";
    public const string TagAttribute = "FluentBit.Plugins.TagAttribute";
    public const string EventTimeAttribute = "FluentBit.Plugins.EventTimeAttribute";
    public const string EventDelayAttribute = "FluentBit.Plugins.EventDelayAttribute";
    public const string ComputedAttribute = "FluentBit.Plugins.ComputedAttribute";
    public const string LabelAttribute = "FluentBit.Plugins.LabelAttribute";
    public const string ExemplarAttribute = "FluentBit.Plugins.ExemplarAttribute";
    public const string GaugeAttribute = "FluentBit.Plugins.GaugeAttribute";
    public const string CounterAttribute = "FluentBit.Plugins.CounterAttribute";
    public const string HistogramAttribute = "FluentBit.Plugins.HistogramAttribute";
    public const string SummaryAttribute = "FluentBit.Plugins.SummaryAttribute";
    public const string RecordCounterAttribute = "FluentBit.Plugins.RecordCounterAttribute";
    public const string SpanFieldAttribute = "FluentBit.Plugins.SpanFieldAttribute";
    public const string SpanAttributeAttribute = "FluentBit.Plugins.SpanAttributeAttribute";
    public const string ResourceAttributeAttribute = "FluentBit.Plugins.ResourceAttributeAttribute";

    /// <summary>The optional per-record hook on the plugin class.</summary>
    public const string HookMethod = "OnRecord";

    /// <summary>The MSBuild property the plugin targets set; the .so is named after it.</summary>
    public const string PluginNameProperty = "build_property.FluentBitPluginName";

    /// <summary>The MSBuild property that registers a config map where Fluent Bit reads one (5.1.1 and later); the package's props default it to true.</summary>
    public const string ConfigMapProperty = "build_property.FluentBitConfigMap";
}
