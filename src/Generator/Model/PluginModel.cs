namespace FluentBit.Plugins.Generator.Model;

/// <summary>Everything the emitter needs to write one plugin: strings, enums and equatable arrays only.</summary>
internal sealed record PluginModel(
    string? Namespace,
    string ClassName,
    string PluginName,
    string Description,
    int DefaultHttpPort,
    string RecordType,
    EquatableArray<FieldModel> Fields,
    EquatableArray<MetricModel> Metrics,
    EquatableArray<PatternModel> Patterns,
    EquatableArray<string> RecordCounters);

/// <summary>A record property read from one key.</summary>
internal sealed record FieldModel(string PropertyName, string Key, FieldType Type, EquatableArray<SeriesModel> Series);

/// <summary>One series a property feeds: the metric and its label values, in the metric's label order.</summary>
internal sealed record SeriesModel(string MetricName, MetricKind Kind, EquatableArray<string> LabelValues);

/// <summary>A metric of the plugin, declared once however many properties or patterns feed it.</summary>
internal sealed record MetricModel(string Name, string Help, MetricKind Kind, EquatableArray<string> LabelNames);

/// <summary>A metric whose series come from keys matching a pattern.</summary>
internal sealed record PatternModel(string MetricName, string Pattern);

internal enum MetricKind
{
    Gauge,
    Counter,
}

/// <summary>The property types a record value converts to; each has a ValueReader.TryRead method.</summary>
internal enum FieldType
{
    Double,
    Single,
    Int64,
    Int32,
    Int16,
    SByte,
    UInt64,
    UInt32,
    UInt16,
    Byte,
    Boolean,
}
