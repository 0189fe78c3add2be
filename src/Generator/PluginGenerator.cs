using System.Collections.Immutable;
using System.Linq;
using FluentBit.Plugins.Generator.Diagnostics;
using FluentBit.Plugins.Generator.Emitting;
using FluentBit.Plugins.Generator.Model;
using FluentBit.Plugins.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FluentBit.Plugins.Generator;

/// <summary>
/// The pipeline: each [FluentBitPlugin] class is parsed once into a location-free model and, beside it, its
/// diagnostics. Source is emitted from the models only, so an edit that moves code without changing what
/// it declares (a blank line, a method body) leaves the source output cached; diagnostics, which carry
/// locations, are reported from an output of their own, as System.Text.Json's generator does.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PluginGenerator : IIncrementalGenerator
{
    public const string ParseStep = "Parse";
    public const string ModelStep = "Model";
    public const string CombineStep = "Combine";
    public const string DiagnosticsStep = "Diagnostics";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.PluginAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => PluginParser.Parse(ctx, ct))
            .WithTrackingName(ParseStep);

        IncrementalValueProvider<string> fileName = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(KnownNames.PluginNameProperty, out string? name) ? name.Trim() : "");

        IncrementalValueProvider<bool> configMap = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(KnownNames.ConfigMapProperty, out string? value)
                && string.Equals(value.Trim(), "true", System.StringComparison.OrdinalIgnoreCase));

        IncrementalValueProvider<((ImmutableArray<PluginSource> Plugins, string FileName) Left, bool ConfigMap)> sources = parsed
            .Select(static (result, _) => result.Source)
            .WithTrackingName(ModelStep)
            .Collect()
            .Combine(fileName)
            .Combine(configMap)
            .WithTrackingName(CombineStep);
        context.RegisterSourceOutput(sources, static (spc, input) => Emit(spc, input.Left.Plugins, input.Left.FileName, input.ConfigMap));

        IncrementalValueProvider<(ImmutableArray<PluginDiagnostics> Plugins, string FileName)> diagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .Collect()
            .Combine(fileName)
            .WithTrackingName(DiagnosticsStep);

        // The compilation, only to put each location back into its syntax tree (see LocationInfo.ToLocation): this
        // output reruns on every edit, which costs a loop over the diagnostics; the steps before it stay cached.
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (spc, input) => Report(spc, input.Left.Plugins, input.Left.FileName, input.Right));
    }

    private static void Emit(SourceProductionContext context, ImmutableArray<PluginSource> plugins, string fileName, bool configMap)
    {
        if (plugins.Length != 1 || plugins[0].Model is not { } model || (fileName.Length > 0 && fileName != model.PluginName))
        {
            // Report explains why: no plugin, several, a name mismatch or errors in the one plugin.
            return;
        }

        new Emitter(model, configMap).Emit(context);
    }

    private static void Report(SourceProductionContext context, ImmutableArray<PluginDiagnostics> plugins, string fileName, Compilation compilation)
    {
        foreach (DiagnosticInfo diagnostic in plugins.SelectMany(p => p.Diagnostics))
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic(compilation));
        }

        // Only a project that publishes a plugin (the framework's targets set the name) must have one.
        if (plugins.Length == 0 && fileName.Length > 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NoPluginClass, Location.None));
        }

        if (plugins.Length > 1)
        {
            string names = string.Join(", ", plugins.Select(p => p.PluginName));
            foreach (PluginDiagnostics plugin in plugins)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MultiplePluginClasses, plugin.Location?.ToLocation(compilation), plugin.PluginName, plugins.Length, names));
            }
        }

        if (plugins.Length == 1 && fileName.Length > 0 && fileName != plugins[0].PluginName)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PluginFileNameMismatch, plugins[0].Location?.ToLocation(compilation), plugins[0].PluginName, fileName));
        }
    }
}
