using System.IO;
using System.Linq;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.Generator.Tests;

public class SnapshotTests
{
    /// <summary>The generated code of every plugin project in the repository: the samples and the test plugins.</summary>
    [Theory]
    [InlineData("samples/CpuExporter", "cpu_exporter", "CpuSample")]
    [InlineData("samples/AccessLogExporter", "access_log_exporter", "AccessLogSample")]
    [InlineData("tests/Plugins/ShapesExporter", "shapes_exporter", "Shapes")]
    [InlineData("tests/Plugins/TestExporter", "test_exporter", "TestPlugin")]
    [InlineData("tests/Plugins/StackExporter", "stack_exporter", "StackPlugin")]
    [InlineData("samples/SpanMetrics", "span_metrics", "SpanMetricsSample")]
    public void PluginProject(string folder, string pluginName, string snapshot)
    {
        string project = Path.Combine(Vectors.RepoRoot(), folder);
        string[] sources = Directory.GetFiles(project, "*.cs").OrderBy(f => f).Select(File.ReadAllText).ToArray();

        GeneratorOutput output = GeneratorHarness.Run(sources, pluginFileName: pluginName);

        Assert.Empty(output.Diagnostics);
        Assert.Empty(output.CompileErrors);
        string className = Path.GetFileName(project);
        Assert.Equal([$"{className}.FluentBitPlugin.g.cs", $"{className}.NativeExports.g.cs"], output.Files.Keys.Order());
        SnapshotAssert.Matches($"{snapshot}.FluentBitPlugin.g.cs", output.Files[$"{className}.FluentBitPlugin.g.cs"]);
        SnapshotAssert.Matches($"{snapshot}.NativeExports.g.cs", output.Files[$"{className}.NativeExports.g.cs"]);
    }

    /// <summary>
    /// <c>FluentBitConfigMap</c> changes one line: FLBPluginRegister also registers the plugin's keys with Fluent Bit
    /// (5.1.1 and later). Without it, Register never touches the definition's config_map field.
    /// </summary>
    [Theory]
    [InlineData(false, "Runtime.Register(definition)")]
    [InlineData(true, "Runtime.RegisterWithConfigMap(definition)")]
    public void TheConfigMapPropertyChoosesTheRegisterCall(bool configMap, string call)
    {
        string[] sources = Directory.GetFiles(Path.Combine(Vectors.RepoRoot(), "samples", "CpuExporter"), "*.cs").Order().Select(File.ReadAllText).ToArray();

        GeneratorOutput output = GeneratorHarness.Run(sources, configMap: configMap);

        Assert.Empty(output.CompileErrors);
        string exports = output.Files["CpuExporter.NativeExports.g.cs"];
        Assert.Contains($"private static int Register(nint definition) => {call};", exports);
        Assert.Single(exports.Split('\n'), l => l.Contains("Runtime.Register", System.StringComparison.Ordinal));
    }

    /// <summary>
    /// The global namespace, every property type, counters and a record counter, metrics without labels,
    /// a default key, keys of equal length and keys that need escaping.
    /// </summary>
    [Fact]
    public void EdgeShapes()
    {
        const string source = """
            using FluentBit.Plugins;

            [FluentBitPlugin("edge_exporter", "Edge \"shapes\"")]
            public sealed partial class EdgeExporter : PrometheusExporter<EdgeRecord> { }

            [RecordCounter("edge_records_total", "Records received"), Gauge("edge_by_key", "By key", KeyPattern = "k.{name}")]
            public sealed class EdgeRecord
            {
                [Gauge("edge_double")] public double Double { get; set; }
                [Key("f"), Gauge("edge_single")] public float Single { get; set; }
                [Key("i64"), Counter("edge_long_total", "Sum of i64")] public long Long { get; set; }
                [Key("i32"), Gauge("edge_int")] public int Int { get; set; }
                [Key("i16"), Gauge("edge_short")] public short Short { get; set; }
                [Key("i8"), Gauge("edge_sbyte")] public sbyte SByte { get; set; }
                [Key("u64"), Gauge("edge_ulong"), Counter("edge_ulong_total")] public ulong ULong { get; set; }
                [Key("u32"), Gauge("edge_uint")] public uint UInt { get; set; }
                [Key("u16"), Gauge("edge_ushort")] public ushort UShort { get; set; }
                [Key("u8"), Gauge("edge_byte")] public byte Byte { get; set; }
                [Key("ok"), Gauge("edge_ok"), Label("kind", "bool")] public bool Ok { get; set; }
                [Key("quote\"d\\key"), Gauge("edge_escaped")] public double Escaped { get; set; }
                [Key("café"), Gauge("edge_unicode")] public double Unicode { get; set; }
                [Key("unused")] public double DecodedOnly { get; set; }
                [Key("$either['name']"), Gauge("edge_either_name")] public double EitherName { get; set; }
                [Key("$either[0]"), Gauge("edge_either_first")] public double EitherFirst { get; set; }
                [Key("tp"), Exemplar("trace_id", TraceParent = TraceParentPart.TraceId), Exemplar("span_id", TraceParent = TraceParentPart.SpanId)]
                public System.ReadOnlyMemory<byte> TraceParent { get; set; }
                public string? NotDecoded { get; set; }
            }
            """;

        GeneratorOutput output = GeneratorHarness.Run([source]);

        Assert.Empty(output.Diagnostics);
        Assert.Empty(output.CompileErrors);
        SnapshotAssert.Matches("EdgeShapes.FluentBitPlugin.g.cs", output.Files["EdgeExporter.FluentBitPlugin.g.cs"]);
        SnapshotAssert.Matches("EdgeShapes.NativeExports.g.cs", output.Files["EdgeExporter.NativeExports.g.cs"]);
    }

    /// <summary>
    /// Generated code must compile without warnings whatever the record declares: an [Obsolete] property,
    /// properties named like the generated locals and parameters, a keyword property, and metrics whose
    /// collector locals would otherwise shadow <c>factory</c> and <c>registry</c>.
    /// </summary>
    [Fact]
    public void ObsoleteAndCollidingNames()
    {
        const string source = """
            using System;
            using FluentBit.Plugins;

            namespace Collide;

            [FluentBitPlugin("collide_exporter", "Names that collide")]
            public sealed partial class CollideExporter : PrometheusExporter<CollideRecord> { }

            public sealed class CollideRecord
            {
                [Obsolete("use New"), Gauge("collide_old")] public double Old { get; set; }
                [Obsolete, Key("older"), Gauge("collide_older")] public double Older { get; set; }
                [Gauge("factory")] public double value0 { get; set; }
                [Gauge("registry")] public double reader { get; set; }
                [Gauge("collide_record")] public double record { get; set; }
                [Gauge("collide_instruments")] public double instruments { get; set; }
                [Gauge("collide_context")] public double context { get; set; }
                [Gauge("collide_key")] public double key { get; set; }
                [Counter("collide_count_total")] public long count { get; set; }
                [Gauge("collide_i")] public int i { get; set; }
                [Gauge("collide_event")] public double @event { get; set; }
            }
            """;

        GeneratorOutput output = GeneratorHarness.Run([source]);

        Assert.Empty(output.Diagnostics);
        Assert.Empty(output.CompileErrors);
        SnapshotAssert.Matches("ObsoleteAndCollidingNames.FluentBitPlugin.g.cs", output.Files["CollideExporter.FluentBitPlugin.g.cs"]);
    }
}
