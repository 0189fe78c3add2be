using Microsoft.CodeAnalysis;

namespace FluentBit.Plugins.Generator.Diagnostics;

/// <summary>Every build-time check of the generator; README.md lists them. Messages say how to fix the problem.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "FluentBit.Plugins";

    /// <summary>Each diagnostic links to its row in the README's table (anchors <c>#fbp001</c>, ...).</summary>
    internal const string HelpBase = "https://github.com/fluentbit-dotnet/FluentBit.Plugins/blob/main/README.md#";

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
        "Property '{0}' has type '{1}', which a record value cannot be read into; use double, float, long, int, short, sbyte, ulong, uint, ushort, byte or bool");

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
        "GaugeFromKeys without a key pattern",
        "[GaugeFromKeys(\"{0}\")] needs KeyPattern, for example KeyPattern = \"{{cpu}}.p_{{mode}}\"");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        Create(id, title, message, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        Create(id, title, message, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
