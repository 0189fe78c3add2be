using System.Linq;

namespace FluentBit.Plugins.Generator.Model;

/// <summary>Everything the emitter needs to write one plugin: strings, numbers, enums and equatable arrays only.</summary>
internal sealed record PluginModel(
    string? Namespace,
    string ClassName,
    string PluginName,
    string Description,
    int DefaultHttpPort,
    string RecordType,
    bool HasHook,
    EquatableArray<FieldModel> Fields,
    EquatableArray<MetricModel> Metrics,
    EquatableArray<UpdateModel> Updates,
    EquatableArray<PatternModel> Patterns,
    EquatableArray<ConstantLabel> ClassLabels,
    EquatableArray<ExemplarModel> Exemplars,
    bool ReadsSpans)
{
    /// <summary>Whether the metric's updates carry the record's exemplar: the record declares one, and OpenMetrics has them on the kind.</summary>
    public bool HasExemplars(MetricModel metric) => Exemplars.Length > 0 && metric.Kind.TakesExemplars();

    /// <summary>The metric named <paramref name="name"/>: every update and pattern names one the model has.</summary>
    public MetricModel Metric(string name) => Metrics.First(m => m.Name == name);
}
