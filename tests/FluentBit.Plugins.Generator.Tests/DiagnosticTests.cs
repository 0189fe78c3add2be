using System.Linq;
using Microsoft.CodeAnalysis;
using FluentBit.Plugins.Testing;
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

    private static Diagnostic Single(string source, string id, string? fileName = null, bool expectOutput = false)
    {
        GeneratorOutput output = GeneratorHarness.Run([source], fileName);
        Diagnostic diagnostic = Assert.Single(output.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        if (!expectOutput)
        {
            Assert.Empty(output.Files);
        }

        return diagnostic;
    }

    /// <summary>The source text a diagnostic points at (the harness names the only source file Source0.cs).</summary>
    private static string Marked(Diagnostic diagnostic, string source)
    {
        Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        return source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
    }

    [Fact]
    public void FBP001_NoPluginClass()
    {
        Diagnostic d = Single("public sealed class NotAPlugin { }", "FBP001", fileName: "cpu_exporter");
        Assert.Equal("This project builds a Fluent Bit plugin but no class has [FluentBitPlugin]; add [FluentBitPlugin(\"name\", \"description\")] to a partial class deriving from PrometheusExporter<TRecord>", d.GetMessage());
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
        GeneratorOutput output = GeneratorHarness.Run([Plugin + """
            [FluentBitPlugin("other_exporter", "Other")]
            public sealed partial class OtherExporter : PrometheusExporter<DemoRecord> { }
            public sealed class DemoRecord { [Gauge("demo")] public double V { get; set; } }
            """]);
        Assert.Equal(2, output.Diagnostics.Length);
        Assert.All(output.Diagnostics, d => Assert.Equal("FBP002", d.Id));
        Assert.Equal("'demo_exporter' is one of 2 classes with [FluentBitPlugin] (demo_exporter, other_exporter); a plugin .so exports one set of entry points, so keep exactly one plugin class per project", output.Diagnostics[0].GetMessage());
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
        Diagnostic d = Single("""
            using FluentBit.Plugins;
            [FluentBitPlugin("demo_exporter", "Demo")]
            public sealed partial class DemoExporter { }
            """, "FBP004");
        Assert.Equal("Plugin class 'DemoExporter' must derive from FluentBit.Plugins.PrometheusExporter<TRecord>, where TRecord is the class records are decoded into", d.GetMessage());
    }

    [Fact]
    public void FBP005_RecordWithoutPublicConstructor()
    {
        GeneratorOutput output = GeneratorHarness.Run([Plugin + "public abstract class DemoRecord { }"]);
        Diagnostic d = Assert.Single(output.Diagnostics);
        Assert.Equal("FBP005", d.Id);
        Assert.Equal("Record type 'DemoRecord' must be a non-abstract class with a public parameterless constructor; the plugin creates one per flush thread and reuses it", d.GetMessage());
    }

    [Fact]
    public void FBP006_UnsupportedPropertyType()
    {
        const string source = Plugin + """
            public sealed class DemoRecord { [Key("path"), Gauge("demo_path")] public string Path { get; set; } = ""; }
            """;
        Diagnostic d = Single(source, "FBP006");
        Assert.Equal("Property 'Path' has type 'string', which a record value cannot be read into; use double, float, long, int, short, sbyte, ulong, uint, ushort, byte or bool", d.GetMessage());
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
        Diagnostic d = Single(Plugin + """
            public sealed class DemoRecord { [Gauge("demo"), Label("__mode", "x")] public double V { get; set; } }
            """, "FBP008");
        Assert.Equal("'__mode' is not a valid Prometheus label name; use letters, digits and '_', not starting with a digit or with '__' (for example 'mode')", d.GetMessage());
    }

    [Fact]
    public void FBP009_OneNameTwoKinds()
    {
        const string source = Plugin + """
            public sealed class DemoRecord
            {
                [Key("a"), Gauge("demo")] public double A { get; set; }
                [Key("b"), Counter("demo")] public double B { get; set; }
            }
            """;
        Diagnostic d = Single(source, "FBP009");
        Assert.Equal("Metric 'demo' is declared as a counter here and as a gauge elsewhere; a metric has one kind, so rename one of them", d.GetMessage());
        Assert.Equal("Counter(\"demo\")", Marked(d, source));
    }

    [Fact]
    public void FBP010_OneNameTwoLabelSets()
    {
        Diagnostic d = Single(Plugin + """
            public sealed class DemoRecord
            {
                [Key("a"), Gauge("demo"), Label("mode", "a")] public double A { get; set; }
                [Key("b"), Gauge("demo"), Label("cpu", "b")] public double B { get; set; }
            }
            """, "FBP010");
        Assert.Equal("Metric 'demo' has labels (cpu) here and (mode) elsewhere; every series of a metric needs the same label names", d.GetMessage());
    }

    [Fact]
    public void FBP010_PatternWithOtherLabelsThanProperties()
    {
        Diagnostic d = Single(Plugin + """
            [GaugeFromKeys("demo", KeyPattern = "{cpu}.x")]
            public sealed class DemoRecord { [Key("a"), Gauge("demo"), Label("mode", "a")] public double A { get; set; } }
            """, "FBP010");
        Assert.Equal("Metric 'demo' has labels (cpu) here and (mode) elsewhere; every series of a metric needs the same label names", d.GetMessage());
    }

    [Fact]
    public void FBP011_InvalidPluginName()
    {
        GeneratorOutput output = GeneratorHarness.Run(["""
            using FluentBit.Plugins;
            [FluentBitPlugin("Cpu-Exporter", "Demo")]
            public sealed partial class DemoExporter : PrometheusExporter<DemoRecord> { }
            public sealed class DemoRecord { [Gauge("demo")] public double V { get; set; } }
            """]);
        Diagnostic d = Assert.Single(output.Diagnostics);
        Assert.Equal("FBP011", d.Id);
        Assert.Equal("Plugin name 'Cpu-Exporter' must be lower-case letters, digits and '_', starting with a letter (for example 'cpu_exporter'): it is the name used in '-o name' and the .so file name", d.GetMessage());
        Assert.Empty(output.Files);
    }

    [Fact]
    public void FBP012_PluginNameDiffersFromFileName()
    {
        Diagnostic d = Single(Plugin + """
            public sealed class DemoRecord { [Gauge("demo")] public double V { get; set; } }
            """, "FBP012", fileName: "demo_plugin");
        Assert.Equal("The plugin is named 'demo_exporter' but the project publishes 'demo_plugin.so'; set <FluentBitPluginName>demo_exporter</FluentBitPluginName> in the project file so the file carries the plugin's name", d.GetMessage());
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
        Diagnostic d = Single(Plugin + $$"""
            [GaugeFromKeys("demo", KeyPattern = "{{pattern}}")]
            public sealed class DemoRecord { }
            """, "FBP013");
        Assert.Equal($"Key pattern '{pattern}' of metric 'demo' is invalid: {error}", d.GetMessage());
    }

    [Fact]
    public void FBP014_TwoPropertiesOneKey()
    {
        Diagnostic d = Single(Plugin + """
            public sealed class DemoRecord
            {
                [Key("cpu_p"), Gauge("a")] public double A { get; set; }
                [Key("cpu_p"), Gauge("b")] public double B { get; set; }
            }
            """, "FBP014");
        Assert.Equal("Properties 'A' and 'B' both read the key 'cpu_p'; give one of them another [Key]", d.GetMessage());
    }

    [Fact]
    public void FBP015_TwoPropertiesOneSeries()
    {
        Diagnostic d = Single(Plugin + """
            public sealed class DemoRecord
            {
                [Key("a"), Gauge("demo"), Label("mode", "x")] public double A { get; set; }
                [Key("b"), Gauge("demo"), Label("mode", "x")] public double B { get; set; }
            }
            """, "FBP015");
        Assert.Equal("Properties 'A' and 'B' both feed demo{mode=\"x\"}; give one of them different label values", d.GetMessage());
    }

    [Fact]
    public void FBP016_PropertyWithoutPublicSetter()
    {
        Diagnostic d = Single(Plugin + """
            public sealed class DemoRecord { [Gauge("demo")] public double V { get; init; } }
            """, "FBP016");
        Assert.Equal("Property 'V' must have a public getter and a public setter (not init) so records can be decoded into it", d.GetMessage());
    }

    [Fact]
    public void FBP017_TwoHelpTexts_IsAWarningAndStillGenerates()
    {
        Diagnostic d = Single(Plugin + """
            public sealed class DemoRecord
            {
                [Key("a"), Gauge("demo", "First"), Label("mode", "a")] public double A { get; set; }
                [Key("b"), Gauge("demo", "Second"), Label("mode", "b")] public double B { get; set; }
            }
            """, "FBP017", expectOutput: true);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("Metric 'demo' has the help text \"Second\" here and \"First\" elsewhere; give the help once and omit it on the other declarations", d.GetMessage());
    }

    [Fact]
    public void FBP018_LabelDeclaredTwice()
    {
        Diagnostic d = Single(Plugin + """
            public sealed class DemoRecord { [Gauge("demo"), Label("mode", "a"), Label("mode", "b")] public double V { get; set; } }
            """, "FBP018");
        Assert.Equal("Label 'mode' is declared twice on 'V'; a series has one value per label", d.GetMessage());
    }

    [Fact]
    public void FBP019_GaugeFromKeysWithoutPattern()
    {
        Diagnostic d = Single(Plugin + """
            [GaugeFromKeys("demo")]
            public sealed class DemoRecord { }
            """, "FBP019");
        Assert.Equal("[GaugeFromKeys(\"demo\")] needs KeyPattern, for example KeyPattern = \"{cpu}.p_{mode}\"", d.GetMessage());
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

    /// <summary>Each diagnostic links to its own row of the README's table, and the row exists.</summary>
    [Fact]
    public void EveryDescriptorLinksToItsReadmeRow()
    {
        string readme = System.IO.File.ReadAllText(System.IO.Path.Combine(Vectors.RepoRoot(), "README.md"));
        foreach (DiagnosticDescriptor descriptor in typeof(Diagnostics.DiagnosticDescriptors).GetFields().Select(f => (DiagnosticDescriptor)f.GetValue(null)!))
        {
            string anchor = descriptor.Id.ToLowerInvariant();
            Assert.Equal(Diagnostics.DiagnosticDescriptors.HelpBase + anchor, descriptor.HelpLinkUri);
            Assert.Contains($"| <a id=\"{anchor}\"></a>{descriptor.Id} | {(descriptor.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning")} |", readme);
        }
    }
}
