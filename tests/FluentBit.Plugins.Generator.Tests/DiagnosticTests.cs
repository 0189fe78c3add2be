using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace FluentBit.Plugins.Generator.Tests;

/// <summary>One test per diagnostic: its id, its exact message, where it points, and that nothing is emitted on error.</summary>
public class DiagnosticTests
{
    private const string Plugin = """
        using FluentBit.Plugins;
        [FluentBitPlugin("demo_exporter", "Demo")]
        public sealed partial class DemoExporter : PrometheusExporter<DemoRecord> { }
        """;

    private static Diagnostic Single(string source, string id, string? fileName = null, bool expectOutput = false) =>
        Single(source, id, out _, fileName, expectOutput);

    /// <summary>As above, and hands back the run's output (for warnings, which still generate the plugin).</summary>
    private static Diagnostic Single(string source, string id, out GeneratorOutput output, string? fileName = null, bool expectOutput = false)
    {
        output = GeneratorHarness.Run([source], fileName);
        Diagnostic diagnostic = Assert.Single(output.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        if (!expectOutput)
        {
            Assert.Empty(output.Files);
        }

        return diagnostic;
    }

    /// <summary>
    /// The source text a diagnostic points at (the harness names the only source file Source0.cs), which is in the
    /// file's syntax tree: only there do <c>#pragma warning</c> and <c>.editorconfig</c> severities apply to it.
    /// </summary>
    private static string Marked(Diagnostic diagnostic, string source)
    {
        Assert.Equal(LocationKind.SourceFile, diagnostic.Location.Kind);
        Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        return source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
    }

    [Fact]
    public void FBP001_NoPluginClass()
    {
        Diagnostic d = Single("public sealed class NotAPlugin { }", "FBP001", fileName: "cpu_exporter");
        Assert.Equal("This project builds a Fluent Bit plugin but no class has [FluentBitPlugin]; add [FluentBitPlugin(\"name\", \"description\")] to a partial class deriving from PrometheusExporter<TRecord>", d.GetMessage());
        // Reported for the project, not for a line: what is missing is a class, so there is nothing to point at.
        Assert.Equal(Location.None, d.Location);
    }

    [Fact]
    public void FBP001_IsNotReportedOutsideAPluginProject()
    {
        GeneratorOutput output = GeneratorHarness.Run(["public sealed class NotAPlugin { }"]);
        Assert.Empty(output.Diagnostics);
    }

    [Fact]
    public void FBP002_TwoPluginClasses()
    {
        const string source = Plugin + """
            [FluentBitPlugin("other_exporter", "Other")]
            public sealed partial class OtherExporter : PrometheusExporter<DemoRecord> { }
            public sealed class DemoRecord { [Gauge("demo")] public double V { get; set; } }
            """;
        GeneratorOutput output = GeneratorHarness.Run([source]);
        Assert.Equal(2, output.Diagnostics.Length);
        Assert.All(output.Diagnostics, d => Assert.Equal("FBP002", d.Id));
        Assert.Equal("'demo_exporter' is one of 2 classes with [FluentBitPlugin] (demo_exporter, other_exporter); a plugin .so exports one set of entry points, so keep exactly one plugin class per project", output.Diagnostics[0].GetMessage());
        // Each class is told at its own attribute, where its plugin name is.
        Assert.Equal("FluentBitPlugin(\"demo_exporter\", \"Demo\")", Marked(output.Diagnostics[0], source));
        Assert.Equal("FluentBitPlugin(\"other_exporter\", \"Other\")", Marked(output.Diagnostics[1], source));
        Assert.Empty(output.Files);
    }

    [Fact]
    public void FBP003_PluginClassNotPartial()
    {
        const string source = """
            using FluentBit.Plugins;
            [FluentBitPlugin("demo_exporter", "Demo")]
            public sealed class DemoExporter : PrometheusExporter<DemoRecord> { }
            public sealed class DemoRecord { }
            """;
        Diagnostic d = Single(source, "FBP003");
        Assert.Equal("Plugin class 'DemoExporter' must be a top-level, non-generic partial class so the generator can add its entry points; declare it as 'public sealed partial class DemoExporter'", d.GetMessage());
        Assert.Equal("DemoExporter", Marked(d, source));
    }

    [Fact]
    public void FBP004_WrongBaseClass()
    {
        const string source = """
            using FluentBit.Plugins;
            [FluentBitPlugin("demo_exporter", "Demo")]
            public sealed partial class DemoExporter { }
            """;
        Diagnostic d = Single(source, "FBP004");
        Assert.Equal("Plugin class 'DemoExporter' must derive from FluentBit.Plugins.PrometheusExporter<TRecord>, where TRecord is the class records are decoded into", d.GetMessage());
        Assert.Equal("DemoExporter", Marked(d, source));
    }

    [Fact]
    public void FBP005_RecordWithoutPublicConstructor()
    {
        const string source = Plugin + "public abstract class DemoRecord { }";
        GeneratorOutput output = GeneratorHarness.Run([source]);
        Diagnostic d = Assert.Single(output.Diagnostics);
        Assert.Equal("FBP005", d.Id);
        Assert.Equal("Record type 'DemoRecord' must be a non-abstract class with a public parameterless constructor; the plugin creates one per flush thread and reuses it", d.GetMessage());
        // The plugin class's name, not the record class (which may be declared in another project).
        Assert.Equal("DemoExporter", Marked(d, source));
        Assert.Empty(output.Files);
    }

    [Fact]
    public void FBP006_UnsupportedPropertyType()
    {
        const string source = Plugin + """
            public sealed class DemoRecord { [Key("path"), Gauge("demo_path")] public decimal Path { get; set; } }
            """;
        Diagnostic d = Single(source, "FBP006");
        Assert.Equal("Property 'Path' has type 'decimal', which a record value cannot be read into; use double, float, long, int, short, sbyte, ulong, uint, ushort, byte, bool, string, an enum or ReadOnlyMemory<byte>", d.GetMessage());
        Assert.Equal("Path", Marked(d, source));
    }

    [Fact]
    public void FBP007_InvalidMetricName()
    {
        const string source = Plugin + """
            public sealed class DemoRecord { [Gauge("cpu-usage")] public double V { get; set; } }
            """;
        Diagnostic d = Single(source, "FBP007");
        Assert.Equal("'cpu-usage' is not a valid Prometheus metric name; use letters, digits, '_' and ':', not starting with a digit (for example 'cpu_usage_percent')", d.GetMessage());
        Assert.Equal("Gauge(\"cpu-usage\")", Marked(d, source));
    }

    [Fact]
    public void FBP008_InvalidLabelName()
    {
        const string source = Plugin + """
            public sealed class DemoRecord { [Gauge("demo"), Label("__mode", "x")] public double V { get; set; } }
            """;
        Diagnostic d = Single(source, "FBP008");
        Assert.Equal("'__mode' is not a valid Prometheus label name; use letters, digits and '_', not starting with a digit or with '__' (for example 'mode')", d.GetMessage());
        Assert.Equal("Label(\"__mode\", \"x\")", Marked(d, source));
    }

    [Fact]
    public void FBP009_OneNameTwoKinds()
    {
        const string source = Plugin + """
            public sealed class DemoRecord
            {
                [Key("a"), Gauge("demo_total")] public double A { get; set; }
                [Key("b"), Counter("demo_total")] public double B { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP009");
        Assert.Equal("Metric 'demo_total' is declared as a counter here and as a gauge elsewhere; a metric has one kind, so rename one of them", d.GetMessage());
        Assert.Equal("Counter(\"demo_total\")", Marked(d, source));
    }

    [Fact]
    public void FBP010_OneNameTwoLabelSets()
    {
        const string source = Plugin + """
            public sealed class DemoRecord
            {
                [Key("a"), Gauge("demo"), Label("mode", "a")] public double A { get; set; }
                [Key("b"), Gauge("demo"), Label("cpu", "b")] public double B { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP010");
        Assert.Equal("Metric 'demo' has labels (cpu) here and (mode) elsewhere; every series of a metric needs the same label names", d.GetMessage());
        // B's declaration, the one with the labels the message calls "here".
        Assert.Equal("Gauge(\"demo\")", Marked(d, source));
        Assert.Equal(source.LastIndexOf("Gauge(\"demo\")", StringComparison.Ordinal), d.Location.SourceSpan.Start);
    }

    [Fact]
    public void FBP010_PatternWithOtherLabelsThanProperties()
    {
        const string source = Plugin + """
            [Gauge("demo", KeyPattern = "{cpu}.x")]
            public sealed class DemoRecord { [Key("a"), Gauge("demo"), Label("mode", "a")] public double A { get; set; } }
            """;
        Diagnostic d = Single(source, "FBP010");
        Assert.Equal("Metric 'demo' has labels (cpu) here and (mode) elsewhere; every series of a metric needs the same label names", d.GetMessage());
        Assert.Equal("Gauge(\"demo\", KeyPattern = \"{cpu}.x\")", Marked(d, source));
    }

    [Fact]
    public void FBP011_InvalidPluginName()
    {
        const string source = """
            using FluentBit.Plugins;
            [FluentBitPlugin("Cpu-Exporter", "Demo")]
            public sealed partial class DemoExporter : PrometheusExporter<DemoRecord> { }
            public sealed class DemoRecord { [Gauge("demo")] public double V { get; set; } }
            """;
        GeneratorOutput output = GeneratorHarness.Run([source]);
        Diagnostic d = Assert.Single(output.Diagnostics);
        Assert.Equal("FBP011", d.Id);
        Assert.Equal("Plugin name 'Cpu-Exporter' must be lower-case letters, digits and '_', starting with a letter (for example 'cpu_exporter'): it is the name used in '-o name' and the .so file name", d.GetMessage());
        Assert.Equal("FluentBitPlugin(\"Cpu-Exporter\", \"Demo\")", Marked(d, source));
        Assert.Empty(output.Files);
    }

    [Fact]
    public void FBP012_PluginNameDiffersFromFileName()
    {
        const string source = Plugin + """
            public sealed class DemoRecord { [Gauge("demo")] public double V { get; set; } }
            """;
        Diagnostic d = Single(source, "FBP012", fileName: "demo_plugin");
        Assert.Equal("The plugin is named 'demo_exporter' but the project publishes 'demo_plugin.so'; set <FluentBitPluginName>demo_exporter</FluentBitPluginName> in the project file so the file carries the plugin's name", d.GetMessage());
        // The fix is in the project file, which has no location; the attribute is where the plugin's name is declared.
        Assert.Equal("FluentBitPlugin(\"demo_exporter\", \"Demo\")", Marked(d, source));
    }

    [Theory]
    [InlineData("{cpu}{mode}", "two captures follow each other; separate them with literal text so the key can be split")]
    [InlineData("cpu.p_user", "the pattern has no {label} capture, so every matching key would be the same series; use a property with [Key] instead")]
    [InlineData("{cpu.p_{mode}", "'{cpu.p_{mode}' must start with a label name (letters, digits and '_', not starting with a digit or '__')")]
    [InlineData("{cpu}.p_{mode", "the capture opened at position 8 is not closed with '}'")]
    [InlineData("{cpu}.p_}", "'}' at position 8 closes no capture")]
    [InlineData("{cpu}.{cpu}", "the label 'cpu' is captured twice")]
    [InlineData("{cpu}.p_{mode:cpu}", "'cpu' in '{mode:cpu}' must be 'captured=replacement', both non-empty")]
    public void FBP013_InvalidKeyPattern(string pattern, string error)
    {
        string source = Plugin + $$"""
            [Gauge("demo", KeyPattern = "{{pattern}}")]
            public sealed class DemoRecord { }
            """;
        Diagnostic d = Single(source, "FBP013");
        Assert.Equal($"Key pattern '{pattern}' of metric 'demo' is invalid: {error}", d.GetMessage());
        Assert.Equal($"Gauge(\"demo\", KeyPattern = \"{pattern}\")", Marked(d, source));
    }

    [Fact]
    public void FBP014_TwoPropertiesOneKey()
    {
        const string source = Plugin + """
            public sealed class DemoRecord
            {
                [Key("cpu_p"), Gauge("a")] public double A { get; set; }
                [Key("cpu_p"), Gauge("b")] public double B { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP014");
        Assert.Equal("Properties 'A' and 'B' both read the key 'cpu_p'; give one of them another [Key]", d.GetMessage());
        // The second property, B.
        Assert.Equal("B", Marked(d, source));
        Assert.Equal(source.IndexOf("B { get;", StringComparison.Ordinal), d.Location.SourceSpan.Start);
    }

    [Fact]
    public void FBP015_TwoPropertiesOneSeries()
    {
        const string source = Plugin + """
            public sealed class DemoRecord
            {
                [Key("a"), Gauge("demo"), Label("mode", "x")] public double A { get; set; }
                [Key("b"), Gauge("demo"), Label("mode", "x")] public double B { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP015");
        Assert.Equal("Properties 'A' and 'B' both feed demo{mode=\"x\"}; give one of them different label values", d.GetMessage());
        // B's declaration: the second of the two that feed the series.
        Assert.Equal("Gauge(\"demo\")", Marked(d, source));
        Assert.Equal(source.LastIndexOf("Gauge(\"demo\")", StringComparison.Ordinal), d.Location.SourceSpan.Start);
    }

    [Fact]
    public void FBP016_PropertyWithoutPublicSetter()
    {
        const string source = Plugin + """
            public sealed class DemoRecord { [Gauge("demo")] public double V { get; init; } }
            """;
        Diagnostic d = Single(source, "FBP016");
        Assert.Equal("Property 'V' must have a public getter and a public setter (not init) so records can be decoded into it", d.GetMessage());
        Assert.Equal("V", Marked(d, source));
    }

    [Fact]
    public void FBP017_TwoHelpTexts_IsAWarningAndStillGenerates()
    {
        const string source = Plugin + """
            public sealed class DemoRecord
            {
                [Key("a"), Gauge("demo", "First"), Label("mode", "a")] public double A { get; set; }
                [Key("b"), Gauge("demo", "Second"), Label("mode", "b")] public double B { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP017", out GeneratorOutput output, expectOutput: true);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("Metric 'demo' has the help text \"Second\" here and \"First\" elsewhere; give the help once and omit it on the other declarations", d.GetMessage());
        Assert.Equal("Gauge(\"demo\", \"Second\")", Marked(d, source));
        // A warning: the plugin is still generated, compiles, and uses the first help text.
        Assert.Equal(["DemoExporter.FluentBitPlugin.g.cs", "DemoExporter.NativeExports.g.cs"], output.Files.Keys.Order());
        Assert.Empty(output.CompileErrors);
        Assert.Contains("CreateGauge(\"demo\", \"First\"", output.Files["DemoExporter.FluentBitPlugin.g.cs"]);
        Assert.DoesNotContain("\"Second\"", output.Files["DemoExporter.FluentBitPlugin.g.cs"]);
    }

    /// <summary>
    /// A warning is silenced as any compiler warning is, which works only for a diagnostic located in the user's
    /// syntax tree. The compiler marks a diagnostic under <c>#pragma warning disable</c> suppressed (the build
    /// neither shows it nor fails on it with warnings as errors); a declaration outside the pragma still warns.
    /// </summary>
    [Fact]
    public void FBP017_PragmaWarningDisableSilencesIt()
    {
        const string source = Plugin + """
            public sealed class DemoRecord
            {
                [Key("a"), Gauge("demo", "First"), Label("mode", "a")] public double A { get; set; }
            #pragma warning disable FBP017
                [Key("b"), Gauge("demo", "Second"), Label("mode", "b")] public double B { get; set; }
            #pragma warning restore FBP017
                [Key("c"), Gauge("demo", "Third"), Label("mode", "c")] public double C { get; set; }
            }
            """;
        GeneratorOutput output = GeneratorHarness.Run([source]);
        Assert.Equal(2, output.Diagnostics.Length);
        Assert.All(output.Diagnostics, d => Assert.Equal("FBP017", d.Id));
        Assert.Equal("Gauge(\"demo\", \"Second\")", Marked(Assert.Single(output.Diagnostics, d => d.IsSuppressed), source));
        Assert.Equal("Gauge(\"demo\", \"Third\")", Marked(Assert.Single(output.Diagnostics, d => !d.IsSuppressed), source));
        Assert.Equal(2, output.Files.Count);
    }

    [Fact]
    public void FBP018_LabelDeclaredTwice()
    {
        const string source = Plugin + """
            public sealed class DemoRecord { [Gauge("demo"), Label("mode", "a"), Label("mode", "b")] public double V { get; set; } }
            """;
        Diagnostic d = Single(source, "FBP018");
        Assert.Equal("Label 'mode' is declared twice on 'V'; a series has one value per label", d.GetMessage());
        Assert.Equal("Label(\"mode\", \"b\")", Marked(d, source));
    }

    [Fact]
    public void FBP019_MetricOnTheRecordClassWithoutPattern()
    {
        const string source = Plugin + """
            [Histogram("demo")]
            public sealed class DemoRecord { }
            """;
        Diagnostic d = Single(source, "FBP019");
        Assert.Equal("Metric 'demo' is declared on the record class, so its values come from matching keys: add KeyPattern, for example KeyPattern = \"{cpu}.p_{mode}\", or move it onto a property", d.GetMessage());
        Assert.Equal("Histogram(\"demo\")", Marked(d, source));
    }

    [Fact]
    public void FBP020_LabelThatNoPropertyFeeds()
    {
        const string source = Plugin + """
            public sealed class DemoRecord { [Counter("demo_bytes_total", Labels = ["method"])] public long Bytes { get; set; } }
            """;
        Diagnostic d = Single(source, "FBP020");
        Assert.Equal("Metric 'demo_bytes_total' lists the label 'method' but no property has [Label(\"method\")]; mark the property that holds its value with [Label(\"method\")], or remove it from Labels", d.GetMessage());
        Assert.StartsWith("Counter(", Marked(d, source));
        Assert.Equal("Counter(\"demo_bytes_total\", Labels = [\"method\"])", Marked(d, source));
    }

    [Theory]
    [InlineData("Buckets = [0.1, 0.1, 1]", "bounds must be strictly increasing, but 0.1 follows 0.1")]
    [InlineData("Buckets = [1, 0.5]", "bounds must be strictly increasing, but 0.5 follows 1")]
    [InlineData("Buckets = [0.1, double.PositiveInfinity]", "bounds must be finite (+Inf is always added)")]
    [InlineData("LinearBuckets = [0, 1]", "LinearBuckets = [start, width, count] needs three numbers, count a whole number from 1 to 1000")]
    [InlineData("LinearBuckets = [0, 0, 5]", "LinearBuckets needs a width above 0")]
    [InlineData("ExponentialBuckets = [0, 2, 5]", "ExponentialBuckets needs a start above 0 and a factor above 1")]
    [InlineData("Buckets = [1], LinearBuckets = [0, 1, 3]", "give only one of Buckets, LinearBuckets and ExponentialBuckets")]
    public void FBP021_InvalidBuckets(string buckets, string error)
    {
        string source = Plugin + "public sealed class DemoRecord { [Histogram(\"demo_seconds\", " + buckets + ")] public double V { get; set; } }";
        Diagnostic d = Single(source, "FBP021");
        Assert.Equal($"Histogram 'demo_seconds' has invalid buckets: {error}", d.GetMessage());
        Assert.Equal($"Histogram(\"demo_seconds\", {buckets})", Marked(d, source));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1", "1")]
    [InlineData("1.5", "1.5")]
    public void FBP022_QuantileOutsideZeroToOne(string quantile, string shown)
    {
        string source = Plugin + "public sealed class DemoRecord { [Summary(\"demo_seconds\", Quantiles = [0.5, " + quantile + "])] public double V { get; set; } }";
        Diagnostic d = Single(source, "FBP022");
        Assert.Equal($"Summary 'demo_seconds' has the quantile {shown}, which is not strictly between 0 and 1; use values such as 0.5, 0.9 and 0.99", d.GetMessage());
        Assert.Equal($"Summary(\"demo_seconds\", Quantiles = [0.5, {quantile}])", Marked(d, source));
    }

    [Theory]
    [InlineData("Histogram", "le", "histogram", "bucket bounds")]
    [InlineData("Summary", "quantile", "summary", "quantiles")]
    public void FBP023_ReservedLabel(string kind, string label, string kindName, string use)
    {
        string source = Plugin + $$"""
            public sealed class DemoRecord
            {
                [Label("{{label}}")] public string? Bucket { get; set; }
                [{{kind}}("demo_seconds", Labels = ["{{label}}"])] public double V { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP023");
        Assert.Equal($"Label '{label}' is reserved on a {kindName}: Prometheus uses it for the {use}; rename the label", d.GetMessage());
        Assert.Equal($"{kind}(\"demo_seconds\", Labels = [\"{label}\"])", Marked(d, source));
    }

    [Fact]
    public void FBP024_CounterNameWithoutTotal()
    {
        const string source = Plugin + """
            [RecordCounter("demo_records")]
            public sealed class DemoRecord { }
            """;
        Diagnostic d = Single(source, "FBP024", out GeneratorOutput output, expectOutput: true);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("Counter 'demo_records' does not end in '_total' as Prometheus' naming conventions ask; rename it to 'demo_records_total'", d.GetMessage());
        Assert.Equal("RecordCounter(\"demo_records\")", Marked(d, source));
        // A warning: the plugin is still generated, compiles, and keeps the name as given.
        Assert.Equal(["DemoExporter.FluentBitPlugin.g.cs", "DemoExporter.NativeExports.g.cs"], output.Files.Keys.Order());
        Assert.Empty(output.CompileErrors);
        Assert.Contains("CreateCounter(\"demo_records\"", output.Files["DemoExporter.FluentBitPlugin.g.cs"]);
    }

    [Fact]
    public void FBP024_PragmaWarningDisableSilencesIt()
    {
        // The blank line ends Plugin's last line: a directive must begin a line of its own.
        const string source = Plugin + """

            #pragma warning disable FBP024
            [RecordCounter("demo_records")]
            #pragma warning restore FBP024
            public sealed class DemoRecord { [Counter("demo_bytes")] public long Bytes { get; set; } }
            """;
        GeneratorOutput output = GeneratorHarness.Run([source]);
        Assert.Equal(2, output.Diagnostics.Length);
        Assert.All(output.Diagnostics, d => Assert.Equal("FBP024", d.Id));
        Assert.Equal("RecordCounter(\"demo_records\")", Marked(Assert.Single(output.Diagnostics, d => d.IsSuppressed), source));
        Diagnostic reported = Assert.Single(output.Diagnostics, d => !d.IsSuppressed);
        Assert.Equal("Counter 'demo_bytes' does not end in '_total' as Prometheus' naming conventions ask; rename it to 'demo_bytes_total'", reported.GetMessage());
        Assert.Equal("Counter(\"demo_bytes\")", Marked(reported, source));
        Assert.Equal(2, output.Files.Count);
    }

    /// <summary><c>dotnet_diagnostic.FBP024.severity</c> in an <c>.editorconfig</c>: none silences it, error fails the build.</summary>
    [Theory]
    [InlineData(ReportDiagnostic.Suppress, null)]
    [InlineData(ReportDiagnostic.Error, DiagnosticSeverity.Error)]
    public void FBP024_EditorConfigSeverityApplies(ReportDiagnostic configured, DiagnosticSeverity? reported)
    {
        const string source = Plugin + """
            [RecordCounter("demo_records")]
            public sealed class DemoRecord { }
            """;
        GeneratorOutput output = GeneratorHarness.Run([source], severities: new Dictionary<string, ReportDiagnostic> { ["FBP024"] = configured });
        Assert.Equal(reported, output.Diagnostics.SingleOrDefault()?.Severity);
        Assert.All(output.Diagnostics, d => Assert.Equal("RecordCounter(\"demo_records\")", Marked(d, source)));
        Assert.Equal(["DemoExporter.FluentBitPlugin.g.cs", "DemoExporter.NativeExports.g.cs"], output.Files.Keys.Order());
    }

    [Theory]
    [InlineData("[Gauge(\"demo\")] public string? Method { get; set; }", "Method", "string?", "the value of gauge 'demo'", "use a numeric type or bool", "Gauge(\"demo\")")]
    [InlineData("[EventTime, Gauge(\"demo\")] public long Time { get; set; }", "Time", "long", "read from the event time", "declare it as double (seconds)", "Time")]
    [InlineData("[Tag(1)] public int Service { get; set; }", "Service", "int", "read from the tag", "declare it as string", "Service")]
    public void FBP025_TypeNotUsable(string property, string name, string type, string what, string fix, string marked)
    {
        string source = Plugin + "public sealed class DemoRecord { " + property + " }";
        Diagnostic d = Single(source, "FBP025");
        Assert.Equal($"Property '{name}' of type '{type}' cannot be {what}; {fix}", d.GetMessage());
        Assert.Equal(marked, Marked(d, source));
    }

    /// <summary>The parser's own messages are tested with the parser (RecordAccessorSyntax); here, that they reach the diagnostic.</summary>
    [Theory]
    [InlineData("$", "'$' must be followed by a key name")]
    [InlineData("$kubernetes['labels'", "is not closed")]
    [InlineData("$a[x]", "unexpected 'x' at position 3")]
    [InlineData("$a['b']c", "unexpected 'c' at position 7")]
    public void FBP026_InvalidRecordAccessor(string path, string error)
    {
        string source = Plugin + "public sealed class DemoRecord { [Key(\"" + path + "\"), Label(\"app\")] public string? App { get; set; } }";
        Diagnostic d = Single(source, "FBP026");
        Assert.StartsWith($"'{path}' on property 'App' is not a valid record accessor: ", d.GetMessage());
        Assert.Contains(error, d.GetMessage());
        Assert.EndsWith("; write it as Fluent Bit's filters do, for example $kubernetes['labels']['app']", d.GetMessage());
        Assert.Equal($"Key(\"{path}\")", Marked(d, source));
    }

    [Theory]
    [InlineData("private static void OnRecord(DemoRecord record, in EventContext context) { }")]
    [InlineData("private bool OnRecord(DemoRecord record, in EventContext context) => true;")]
    [InlineData("private static bool OnRecord(DemoRecord record, EventContext context) => true;")]
    [InlineData("private static bool OnRecord(DemoRecord record) => true;")]
    public void FBP027_HookWithTheWrongSignature(string hook)
    {
        const string record = "public sealed class DemoRecord { [Gauge(\"demo\")] public double V { get; set; } }";
        string source = "using FluentBit.Plugins;\n[FluentBitPlugin(\"demo_exporter\", \"Demo\")]\npublic sealed partial class DemoExporter : PrometheusExporter<DemoRecord> { " + hook + " }\n" + record;
        Diagnostic d = Single(source, "FBP027");
        Assert.Equal("'DemoExporter.OnRecord' must be declared as 'static bool OnRecord(DemoRecord record, in EventContext context)', returning false to skip the record", d.GetMessage());
        Assert.Equal("OnRecord", Marked(d, source));
    }

    [Theory]
    [InlineData("[Key(\"a\"), Tag] public string? A { get; set; }", "Property 'A': [Key] and [Tag] both say where it comes from; keep one", "A")]
    [InlineData("[Label(\"app\")] public string? A { get; set; } [Label(\"app\")] public string? B { get; set; }", "Label 'app': properties 'A' and 'B' both claim to be its value; keep [Label(\"app\")] on one of them", "Label(\"app\")")]
    [InlineData("[Gauge(\"demo\", KeyPattern = \"{x}\")] public double A { get; set; }", "Metric 'demo': KeyPattern belongs on a metric declared on the record class; on a property, the property's value feeds the metric", "Gauge(\"demo\", KeyPattern = \"{x}\")")]
    [InlineData("[Label(\"m\")] public string? M { get; set; } [Gauge(\"demo\", Labels = [\"m\"]), Label(\"m\", \"x\")] public double A { get; set; }", "Metric 'demo': the label 'm' is both constant (\"x\") and in Labels; keep one", "Gauge(\"demo\", Labels = [\"m\"])")]
    [InlineData("[Histogram(\"demo\", Buckets = [1, 2])] public double A { get; set; } [Histogram(\"demo\", Buckets = [1, 3]), Label(\"k\", \"b\")] public double B { get; set; }", "Metric 'demo': Buckets is 1, 3 here and 1, 2 elsewhere; set it once or make them agree", "Histogram(\"demo\", Buckets = [1, 3])")]
    [InlineData("[Key(\"$k\"), Gauge(\"demo\")] public double A { get; set; } [Key(\"$k['b']\"), Gauge(\"demo2\")] public double B { get; set; }", "Property 'B': '$k['b']' and the path of 'A' lead through the same value; read the nested values only, each with its own record accessor", "B")]
    public void FBP028_ConflictingAttributes(string properties, string message, string marked)
    {
        string source = Plugin + "public sealed class DemoRecord { " + properties + " }";
        GeneratorOutput output = GeneratorHarness.Run([source]);
        Diagnostic d = Assert.Single(output.Diagnostics, d => d.Id == "FBP028");
        Assert.Equal(message, d.GetMessage());
        // The last occurrence of the marked text: where two declarations conflict, the later one (B's) is told.
        Assert.Equal(marked, Marked(d, source));
        Assert.Equal(source.LastIndexOf(marked, StringComparison.Ordinal), d.Location.SourceSpan.Start);
        Assert.Empty(output.Files);
    }

    [Theory]
    [InlineData("MaxSeries = 0", "MaxSeries is 0; it must be at least 1")]
    [InlineData("ExpireAfterSeconds = -1", "ExpireAfterSeconds must be 0 (never) or a positive number of seconds")]
    public void FBP029_InvalidMetricOption(string option, string message)
    {
        string source = Plugin + "public sealed class DemoRecord { [Gauge(\"demo\", " + option + ")] public double V { get; set; } }";
        Diagnostic d = Single(source, "FBP029");
        Assert.Equal($"Metric 'demo': {message}", d.GetMessage());
        Assert.Equal($"Gauge(\"demo\", {option})", Marked(d, source));
    }

    [Fact]
    public void FBP030_RecordCounterTwiceOnTheClass()
    {
        string source = Plugin + """
            [RecordCounter("r_total", "Records")]
            [RecordCounter("r_total", "Records")]
            public sealed class DemoRecord { [Gauge("demo")] public double V { get; set; } }
            """;
        Diagnostic d = Single(source, "FBP030");
        Assert.Equal("The record class declares r_total twice with the same [RecordCounter(\"r_total\")]; remove one of the two attributes (each would count every record once more), or give them different metric names or constant labels", d.GetMessage());
        // The second of the two: the line to delete.
        Assert.Equal("RecordCounter(\"r_total\", \"Records\")", Marked(d, source));
        Assert.Equal(source.LastIndexOf("RecordCounter(", StringComparison.Ordinal), d.Location.SourceSpan.Start);
    }

    [Fact]
    public void FBP030_CounterTwiceOnOneProperty()
    {
        string source = Plugin + """
            public sealed class DemoRecord
            {
                [Counter("c_total"), Counter("c_total")]
                public double V { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP030");
        Assert.Equal("Property 'V' declares c_total twice with the same [Counter(\"c_total\")]; remove one of the two attributes (each would count every record once more), or give them different metric names or constant labels", d.GetMessage());
        Assert.Equal("Counter(\"c_total\")", Marked(d, source));
        Assert.Equal(source.LastIndexOf("Counter(", StringComparison.Ordinal), d.Location.SourceSpan.Start);
    }

    [Fact]
    public void FBP031_ExemplarOnAGauge()
    {
        string source = Plugin + """
            public sealed class DemoRecord
            {
                [Gauge("queue_depth"), Exemplar("trace_id")]
                public double Depth { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP031");
        Assert.Equal("[Exemplar] on 'Depth', the value of gauge 'queue_depth': OpenMetrics has exemplars on counters and histograms only; put [Exemplar] on the property that holds the trace id, and it labels the exemplars of every counter and histogram of the record", d.GetMessage());
        Assert.Equal("Exemplar(\"trace_id\")", Marked(d, source));
    }

    [Fact]
    public void FBP031_ExemplarOnASummary()
    {
        string source = Plugin + """
            public sealed class DemoRecord
            {
                [Summary("size_bytes"), Exemplar("trace_id")]
                public double Size { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP031");
        Assert.StartsWith("[Exemplar] on 'Size', the value of summary 'size_bytes': OpenMetrics has exemplars on counters and histograms only", d.GetMessage());
    }

    [Fact]
    public void FBP032_ExemplarWithoutACounterOrHistogram()
    {
        string source = Plugin + """
            public sealed class DemoRecord
            {
                [Key("trace_id"), Exemplar("trace_id")]
                public System.ReadOnlyMemory<byte> TraceId { get; set; }

                [Gauge("queue_depth")]
                public double Depth { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP032");
        Assert.Equal("[Exemplar(\"trace_id\")] on 'TraceId' has nothing to label: the record feeds no counter or histogram, the only kinds with exemplars in OpenMetrics; add one, or remove [Exemplar]", d.GetMessage());
        Assert.Equal("Exemplar(\"trace_id\")", Marked(d, source));
    }

    [Fact]
    public void FBP033_ExemplarLabelsThatCannotFit128Characters()
    {
        string longName = new('t', 90);
        string source = Plugin + $$"""
            [RecordCounter("r_total")]
            public sealed class DemoRecord
            {
                [Key("traceparent"), Exemplar("{{longName}}", TraceParent = TraceParentPart.TraceId), Exemplar("span_id", TraceParent = TraceParentPart.SpanId)]
                public System.ReadOnlyMemory<byte> TraceParent { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP033");
        Assert.Equal($"The exemplar labels {longName}, span_id need at least 145 characters (names, and the 32 or 16 digits of a traceparent's ids), over the 128 OpenMetrics allows for an exemplar's names and values together; use shorter names or fewer labels", d.GetMessage());
    }

    [Theory]
    [InlineData("public string? TraceId { get; set; }", "[Exemplar(\"trace_id\")]", "declare it as ReadOnlyMemory<byte>, which points into the chunk: an id read as a string would allocate for every record")]
    [InlineData("public System.ReadOnlyMemory<byte> TraceId { get; set; }", "[Exemplar(\"trace-id\")]", "'trace-id' is not a valid label name; use letters, digits and '_', not starting with a digit or with '__' (for example 'trace_id')")]
    [InlineData("public System.ReadOnlyMemory<byte> TraceId { get; set; }", "[Exemplar(\"id\"), Exemplar(\"id\")]", "the exemplar label 'id' is declared twice; each label has one source")]
    [InlineData("public System.ReadOnlyMemory<byte> TraceId { get; set; }", "[Exemplar(\"a\"), Exemplar(\"b\"), Exemplar(\"c\"), Exemplar(\"d\")]", "a record has at most 3 exemplar labels (trace_id, span_id and one more)")]
    [InlineData("[Counter(\"v_total\")] public double TraceId { get; set; }", "[Exemplar(\"trace_id\")]", "an exemplar's label is an id such as a trace id, not the value it annotates; put [Exemplar] on the property that holds the id")]
    public void FBP034_InvalidExemplar(string property, string exemplar, string problem)
    {
        string source = Plugin + $$"""
            [RecordCounter("r_total")]
            public sealed class DemoRecord
            {
                [Key("trace_id")]
                {{exemplar}}
                {{property}}
            }
            """;
        Diagnostic d = Single(source, "FBP034");
        Assert.Equal($"[Exemplar] on 'TraceId': {problem}", d.GetMessage());
    }

    [Theory]
    [InlineData("[Key(\"method\"), Label(\"method\")] public string? Method { get; set; }", "the log key 'method'")]
    [InlineData("[Label(\"method\")] public string? Method { get; set; }", "the log key 'Method'")]
    [InlineData("[Tag, Label(\"method\")] public string? Method { get; set; }", "the tag")]
    public void FBP035_LogAndSpanSources(string property, string from)
    {
        string source = Plugin + $$"""
            [RecordCounter("calls_total", Labels = ["span_name", "method"])]
            public sealed class DemoRecord
            {
                [SpanField(SpanField.Name), Label("span_name")]
                public string? SpanName { get; set; }

                {{property}}
            }
            """;
        Diagnostic d = Single(source, "FBP035");
        Assert.Equal(
            $"'Method' is read from {from}, but DemoRecord reads spans ('SpanName' is a span's part): a plugin reads either log events or spans, as Fluent Bit registers one event type per plugin; read it from the span with [SpanField], [SpanAttribute] or [ResourceAttribute], or declare the log metrics in a plugin of their own",
            d.GetMessage());
    }

    [Fact]
    public void EveryDescriptorHasATest()
    {
        string[] ids = typeof(Diagnostics.DiagnosticDescriptors)
            .GetFields()
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id)
            .ToArray();
        string[] tested = typeof(DiagnosticTests).GetMethods()
            .Select(m => m.Name)
            .Where(n => n.StartsWith("FBP"))
            .Select(n => n[..6])
            .Distinct()
            .ToArray();
        Assert.Equal(ids.Order(), tested.Order());
    }
}
