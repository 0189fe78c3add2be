using System.Collections.Immutable;
using System.Linq;
using FluentBit.Plugins.Generator.Diagnostics;
using FluentBit.Plugins.Generator.Emitting;
using FluentBit.Plugins.Generator.Model;
using FluentBit.Plugins.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace FluentBit.Plugins.Generator;

/// <summary>
/// The pipeline: each [FluentBitPlugin] class is parsed into an equatable model; the models of the
/// compilation are checked together (one plugin per assembly, its name matching the .so) and emitted.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class PluginGenerator : IIncrementalGenerator
{
    public const string ParseStep = "Parse";
    public const string CombineStep = "Combine";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> plugins = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.PluginAttribute,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                static (ctx, ct) => PluginParser.Parse(ctx, ct))
            .WithTrackingName(ParseStep);

        IncrementalValueProvider<string> fileName = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(KnownNames.PluginNameProperty, out string? name) ? name.Trim() : "");

        IncrementalValueProvider<(ImmutableArray<ParseResult> Plugins, string FileName)> all = plugins.Collect()
            .Combine(fileName)
            .WithTrackingName(CombineStep);

        context.RegisterSourceOutput(all, static (spc, input) => Execute(spc, input.Plugins, input.FileName));
    }

    private static void Execute(SourceProductionContext context, ImmutableArray<ParseResult> plugins, string fileName)
    {
        foreach (DiagnosticInfo diagnostic in plugins.SelectMany(p => p.Diagnostics))
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (plugins.Length == 0)
        {
            // Only a project that publishes a plugin (the framework's targets set the name) must have one.
            if (fileName.Length > 0)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NoPluginClass, Location.None));
            }

            return;
        }

        if (plugins.Length > 1)
        {
            string names = string.Join(", ", plugins.Select(p => p.PluginName));
            foreach (ParseResult plugin in plugins)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MultiplePluginClasses, plugin.Location?.ToLocation(), plugin.PluginName, plugins.Length, names));
            }

            return;
        }

        ParseResult single = plugins[0];
        if (fileName.Length > 0 && fileName != single.PluginName)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PluginFileNameMismatch, single.Location?.ToLocation(), single.PluginName, fileName));
            return;
        }

        if (single.Model is { } model)
        {
            context.AddSource($"{model.ClassName}.FluentBitPlugin.g.cs", PluginEmitter.Emit(model));
            context.AddSource($"{model.ClassName}.NativeExports.g.cs", ExportsEmitter.Emit(model));
        }
    }
}
