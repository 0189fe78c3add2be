using Microsoft.CodeAnalysis;

namespace FluentBit.Plugins.Generator.Diagnostics;

/// <summary>Every build-time check of the generator; docs/diagnostics has a page for each. Messages say how to fix the problem.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "FluentBit.Plugins";

    /// <summary>
    /// Each diagnostic links to its own page, <c>docs/diagnostics/FBP001.md</c>, ...: the id in an IDE's error list
    /// opens what triggers it, an example and the fix (DiagnosticPagesTests keeps pages and descriptors in step).
    /// </summary>
    internal const string HelpBase = "https://github.com/fluentbit-dotnet/FluentBit.Plugins/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor NoPluginClass = Error(
        "FBP001",
        "No plugin class",
        "This project builds a Fluent Bit plugin but no class has [FluentBitPlugin]; add [FluentBitPlugin(\"name\", \"description\")] to a partial class deriving from PrometheusExporter<TRecord>");

    public static readonly DiagnosticDescriptor MultiplePluginClasses = Error(
        "FBP002",
        "More than one plugin class",
        "'{0}' is one of {1} classes with [FluentBitPlugin] ({2}); a plugin .so exports one set of entry points, so keep exactly one plugin class per project");

    public static readonly DiagnosticDescriptor PluginClassShape = Error(
        "FBP003",
        "Plugin class must be a top-level, non-generic partial class",
        "Plugin class '{0}' must be a top-level, non-generic partial class so the generator can add its entry points; declare it as 'public sealed partial class {0}'");

    public static readonly DiagnosticDescriptor PluginBaseClass = Error(
        "FBP004",
        "Plugin class must derive from PrometheusExporter<TRecord>",
        "Plugin class '{0}' must derive from FluentBit.Plugins.PrometheusExporter<TRecord>, where TRecord is the class records are decoded into");

    public static readonly DiagnosticDescriptor RecordShape = Error(
        "FBP005",
        "Record type must be a non-abstract class with a public parameterless constructor",
        "Record type '{0}' must be a non-abstract class with a public parameterless constructor; the plugin creates one per flush thread and reuses it");

    public static readonly DiagnosticDescriptor UnsupportedPropertyType = Error(
        "FBP006",
        "Unsupported property type",
        "Property '{0}' has type '{1}', which a record value cannot be read into; use double, float, long, int, short, sbyte, ulong, uint, ushort, byte, bool, string, an enum or ReadOnlyMemory<byte>");

    public static readonly DiagnosticDescriptor InvalidMetricName = Error(
        "FBP007",
        "Invalid metric name",
        "'{0}' is not a valid Prometheus metric name; use letters, digits, '_' and ':', not starting with a digit (for example 'cpu_usage_percent')");

    public static readonly DiagnosticDescriptor InvalidLabelName = Error(
        "FBP008",
        "Invalid label name",
        "'{0}' is not a valid Prometheus label name; use letters, digits and '_', not starting with a digit or with '__' (for example 'mode')");

    public static readonly DiagnosticDescriptor MetricKindConflict = Error(
        "FBP009",
        "Metric declared with two kinds",
        "Metric '{0}' is declared as a {1} here and as a {2} elsewhere; a metric has one kind, so rename one of them");

    public static readonly DiagnosticDescriptor MetricLabelConflict = Error(
        "FBP010",
        "Metric declared with two label sets",
        "Metric '{0}' has labels ({1}) here and ({2}) elsewhere; every series of a metric needs the same label names");

    public static readonly DiagnosticDescriptor InvalidPluginName = Error(
        "FBP011",
        "Invalid plugin name",
        "Plugin name '{0}' must be lower-case letters, digits and '_', starting with a letter (for example 'cpu_exporter'): it is the name used in '-o name' and the .so file name");

    public static readonly DiagnosticDescriptor PluginFileNameMismatch = Error(
        "FBP012",
        "Plugin name differs from the .so file name",
        "The plugin is named '{0}' but the project publishes '{1}.so'; set <FluentBitPluginName>{0}</FluentBitPluginName> in the project file so the file carries the plugin's name");

    public static readonly DiagnosticDescriptor InvalidKeyPattern = Error(
        "FBP013",
        "Invalid key pattern",
        "Key pattern '{0}' of metric '{1}' is invalid: {2}");

    public static readonly DiagnosticDescriptor DuplicateKey = Error(
        "FBP014",
        "Two properties read the same key",
        "Properties '{0}' and '{1}' both read the key '{2}'; give one of them another [Key]");

    public static readonly DiagnosticDescriptor DuplicateSeries = Error(
        "FBP015",
        "Two properties feed the same series",
        "Properties '{0}' and '{1}' both feed {2}; give one of them different label values");

    public static readonly DiagnosticDescriptor PropertyNotReadWrite = Error(
        "FBP016",
        "Record property needs a public getter and setter",
        "Property '{0}' must have a public getter and a public setter (not init) so records can be decoded into it");

    public static readonly DiagnosticDescriptor HelpConflict = Warning(
        "FBP017",
        "Metric declared with two help texts",
        "Metric '{0}' has the help text \"{1}\" here and \"{2}\" elsewhere; give the help once and omit it on the other declarations");

    public static readonly DiagnosticDescriptor DuplicateLabel = Error(
        "FBP018",
        "Label declared twice",
        "Label '{0}' is declared twice on '{1}'; a series has one value per label");

    public static readonly DiagnosticDescriptor MissingKeyPattern = Error(
        "FBP019",
        "Metric on the record class without a key pattern",
        "Metric '{0}' is declared on the record class, so its values come from matching keys: add KeyPattern, for example KeyPattern = \"{{cpu}}.p_{{mode}}\", or move it onto a property");

    public static readonly DiagnosticDescriptor UnknownLabel = Error(
        "FBP020",
        "Label that no property feeds",
        "Metric '{0}' lists the label '{1}' but no property has [Label(\"{1}\")]; mark the property that holds its value with [Label(\"{1}\")], or remove it from Labels");

    public static readonly DiagnosticDescriptor InvalidBuckets = Error(
        "FBP021",
        "Invalid histogram buckets",
        "Histogram '{0}' has invalid buckets: {1}");

    public static readonly DiagnosticDescriptor InvalidQuantile = Error(
        "FBP022",
        "Quantile outside (0, 1)",
        "Summary '{0}' has the quantile {1}, which is not strictly between 0 and 1; use values such as 0.5, 0.9 and 0.99");

    public static readonly DiagnosticDescriptor ReservedLabel = Error(
        "FBP023",
        "Reserved label name",
        "Label '{0}' is reserved on a {1}: Prometheus uses it for the {2}; rename the label");

    public static readonly DiagnosticDescriptor CounterNameSuffix = Warning(
        "FBP024",
        "Counter name without _total",
        "Counter '{0}' does not end in '_total' as Prometheus' naming conventions ask; rename it to '{0}_total'");

    public static readonly DiagnosticDescriptor TypeNotUsable = Error(
        "FBP025",
        "Property type not usable here",
        "Property '{0}' of type '{1}' cannot be {2}; {3}");

    public static readonly DiagnosticDescriptor InvalidRecordAccessor = Error(
        "FBP026",
        "Invalid record accessor",
        "'{0}' on property '{1}' is not a valid record accessor: {2}; write it as Fluent Bit's filters do, for example $kubernetes['labels']['app']");

    public static readonly DiagnosticDescriptor HookSignature = Error(
        "FBP027",
        "OnRecord hook with the wrong signature",
        "'{0}.OnRecord' must be declared as 'static bool OnRecord({1} record, in EventContext context)', returning false to skip the record");

    public static readonly DiagnosticDescriptor ConflictingAttributes = Error(
        "FBP028",
        "Conflicting attributes",
        "{0}: {1}");

    public static readonly DiagnosticDescriptor InvalidMetricOption = Error(
        "FBP029",
        "Invalid metric option",
        "Metric '{0}': {1}");

    public static readonly DiagnosticDescriptor DuplicateDeclaration = Error(
        "FBP030",
        "A metric declared twice the same way",
        "{0} declares {1} twice with the same [{2}]; remove one of the two attributes (each would count every record once more), or give them different metric names or constant labels");

    public static readonly DiagnosticDescriptor ExemplarOnGaugeOrSummary = Error(
        "FBP031",
        "Exemplar on a gauge or summary",
        "[Exemplar] on '{0}', the value of {1} '{2}': OpenMetrics has exemplars on counters and histograms only; put [Exemplar] on the property that holds the trace id, and it labels the exemplars of every counter and histogram of the record");

    public static readonly DiagnosticDescriptor ExemplarWithoutTarget = Error(
        "FBP032",
        "Exemplar without a counter or histogram",
        "[Exemplar(\"{0}\")] on '{1}' has nothing to label: the record feeds no counter or histogram, the only kinds with exemplars in OpenMetrics; add one, or remove [Exemplar]");

    public static readonly DiagnosticDescriptor ExemplarTooLong = Error(
        "FBP033",
        "Exemplar labels over OpenMetrics' 128 characters",
        "The exemplar labels {0} need at least {1} characters (names, and the 32 or 16 digits of a traceparent's ids), over the 128 OpenMetrics allows for an exemplar's names and values together; use shorter names or fewer labels");

    public static readonly DiagnosticDescriptor InvalidExemplar = Error(
        "FBP034",
        "Invalid exemplar declaration",
        "[Exemplar] on '{0}': {1}");

    public static readonly DiagnosticDescriptor LogAndSpanSources = Error(
        "FBP035",
        "A record reads both log events and spans",
        "'{0}' is read from {1}, but {2} reads spans ('{3}' is a span's part): a plugin reads either log events or spans, as Fluent Bit registers one event type per plugin; read it from the span with [SpanField], [SpanAttribute] or [ResourceAttribute], or declare the log metrics in a plugin of their own");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        Create(id, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        Create(id, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md");
}
