using FluentBit.Plugins.Generator.Model;

namespace FluentBit.Plugins.Generator.Emitting;

/// <summary>
/// Every type the generated code names, fully qualified with <c>global::</c> so no type or namespace of the
/// user's shadows it. The emitter writes no other <c>global::</c> name than these and the plugin class's own.
/// </summary>
internal static class KnownTypeNames
{
    // The framework's runtime: what generated code calls (FluentBit.Plugins.CodeGen is for generated code only).
    public const string CodeGen = "global::FluentBit.Plugins.CodeGen";
    public const string IPluginSchema = CodeGen + ".IPluginSchema";
    public const string PluginEvents = CodeGen + ".PluginEvents";
    public const string KeyPatternMetric = CodeGen + ".KeyPatternMetric";
    public const string LabeledMetric = CodeGen + ".LabeledMetric";
    public const string MetricHealth = CodeGen + ".MetricHealth";
    public const string MetricOptions = CodeGen + ".MetricOptions";
    public const string MetricValue = CodeGen + ".MetricValue";
    public const string SeriesKey = CodeGen + ".SeriesKey";
    public const string SeriesLimits = CodeGen + ".SeriesLimits";
    public const string SkipReason = CodeGen + ".SkipReason";
    public const string ExemplarLabels = CodeGen + ".ExemplarLabels";
    public const string ExemplarGate = CodeGen + ".ExemplarGate";
    public const string TraceParentPartEnum = "global::FluentBit.Plugins.TraceParentPart";
    public const string StringCache = CodeGen + ".StringCache";
    public const string ValueReader = CodeGen + ".ValueReader";

    // Reading a chunk, and the native entry points the exports call (docs/architecture.md).
    public const string ChunkReader = "global::FluentBit.Plugins.Decoding.ChunkReader";
    public const string PluginRuntime = "global::FluentBit.Plugins.Hosting.PluginRuntime";

    // The framework's public API, which plugin authors use too.
    public const string EventContext = "global::FluentBit.Plugins.EventContext";
    // Named apart from the enum itself, which the generator compiles too (src/Shared) and which would hide the constant.
    public const string SeriesOverflowEnum = "global::FluentBit.Plugins.SeriesOverflow";

    // prometheus-net.
    private const string Prometheus = "global::Prometheus";
    public const string CollectorRegistry = Prometheus + ".CollectorRegistry";
    public const string ExemplarBehavior = Prometheus + ".ExemplarBehavior";
    public const string IMetricFactory = Prometheus + ".IMetricFactory";
    public const string Metrics = Prometheus + ".Metrics";
    public const string QuantileEpsilonPair = Prometheus + ".QuantileEpsilonPair";

    // The BCL.
    public const string Array = "global::System.Array";
    public const string Ascii = "global::System.Text.Ascii";
    public const string Dictionary = "global::System.Collections.Generic.Dictionary";
    public const string GeneratedCodeAttribute = "global::System.CodeDom.Compiler.GeneratedCode";
    public const string IReadOnlyList = "global::System.Collections.Generic.IReadOnlyList";
    public const string MemoryExtensions = "global::System.MemoryExtensions";
    public const string ReadOnlyMemory = "global::System.ReadOnlyMemory";
    public const string ReadOnlySpan = "global::System.ReadOnlySpan";
    public const string Span = "global::System.Span";
    public const string TimeSpan = "global::System.TimeSpan";
    public const string UnmanagedCallersOnlyAttribute = "global::System.Runtime.InteropServices.UnmanagedCallersOnly";

    /// <summary>A type of the user's (the plugin class), named as the types above are.</summary>
    public static string UserType(string? @namespace, string name) =>
        @namespace is null ? $"global::{name}" : $"global::{@namespace}.{name}";

    /// <summary>The prometheus-net collector of a metric kind (<c>global::Prometheus.Gauge</c>, ...).</summary>
    public static string Collector(MetricKind kind) => $"{Prometheus}.{kind.CollectorType()}";

    /// <summary>The configuration type of a metric kind's collector (<c>global::Prometheus.GaugeConfiguration</c>, ...).</summary>
    public static string CollectorConfiguration(MetricKind kind) => $"{Collector(kind)}Configuration";
}
