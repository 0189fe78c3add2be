using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace FluentBit.Plugins.Generator.Tests;

/// <summary>Runs the generator over C# sources the way the compiler does, with the framework referenced.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Concat([typeof(PrometheusExporter<>).Assembly.Location, typeof(MessagePack.MessagePackReader).Assembly.Location, typeof(Prometheus.Gauge).Assembly.Location])
            .Distinct()
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "TestPlugin",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false)
                // As the SDK does: assembly-version unification notes are not warnings a build sees.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    /// <param name="pluginFileName">The project's <c>FluentBitPluginName</c> property, as the framework's targets set it.</param>
    /// <param name="configMap">The project's <c>FluentBitConfigMap</c> property.</param>
    public static GeneratorDriver CreateDriver(string? pluginFileName = null, bool trackSteps = false, bool configMap = false) =>
        CSharpGeneratorDriver.Create(
            [new PluginGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            optionsProvider: new OptionsProvider(BuildProperties(pluginFileName, configMap)),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackSteps));

    /// <summary>The generator's output and diagnostics, and the compiler's errors on the code with it.</summary>
    /// <param name="severities">
    /// <c>dotnet_diagnostic.ID.severity</c> settings of an <c>.editorconfig</c> section that covers every source file:
    /// the compiler applies them (as it applies <c>#pragma warning</c>) only to a diagnostic located in a syntax tree.
    /// </param>
    /// <param name="configMap">The project's <c>FluentBitConfigMap</c> property.</param>
    public static GeneratorOutput Run(string[] sources, string? pluginFileName = null, IReadOnlyDictionary<string, ReportDiagnostic>? severities = null, bool configMap = false)
    {
        CSharpCompilation compilation = Compile(sources);
        if (severities is not null)
        {
            compilation = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(new EditorConfigSeverities(severities)));
        }

        GeneratorDriver driver = CreateDriver(pluginFileName, configMap: configMap).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        GeneratorDriverRunResult result = driver.GetRunResult();
        // Plugin projects build with warnings as errors: generated code must not raise any.
        ImmutableArray<Diagnostic> compileErrors = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new GeneratorOutput(
            result.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString()),
            result.Diagnostics,
            compileErrors);
    }

    /// <summary>What the SDK makes of an <c>.editorconfig</c> whose <c>[*.cs]</c> section sets diagnostic severities.</summary>
    private sealed class EditorConfigSeverities(IReadOnlyDictionary<string, ReportDiagnostic> severities) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            severities.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = default;
            return false;
        }
    }

    private static Dictionary<string, string> BuildProperties(string? pluginFileName, bool configMap)
    {
        var properties = new Dictionary<string, string>();
        if (pluginFileName is not null)
        {
            properties["build_property.FluentBitPluginName"] = pluginFileName;
        }

        if (configMap)
        {
            properties["build_property.FluentBitConfigMap"] = "true";
        }

        return properties;
    }

    /// <summary>The MSBuild properties a project makes visible to the generator (<c>CompilerVisibleProperty</c>).</summary>
    private sealed class OptionsProvider(Dictionary<string, string> globalProperties) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(globalProperties);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options([]);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options([]);

        private sealed class Options(Dictionary<string, string> properties) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => properties.TryGetValue(key, out value!);
        }
    }
}

internal sealed record GeneratorOutput(
    Dictionary<string, string> Files,
    ImmutableArray<Diagnostic> Diagnostics,
    ImmutableArray<Diagnostic> CompileErrors);
