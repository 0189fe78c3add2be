using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using FluentBit.Plugins.Generator.Diagnostics;
using FluentBit.Plugins.Generator.Model;
using FluentBit.Plugins.Patterns;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>Turns a [FluentBitPlugin] class and its record type into a <see cref="PluginModel"/> and diagnostics.</summary>
internal sealed partial class PluginParser
{
    private static readonly Regex PluginNamePattern = new("^[a-z][a-z0-9_]*$");
    private static readonly Regex MetricNamePattern = new("^[a-zA-Z_:][a-zA-Z0-9_:]*$");

    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly List<MetricDeclaration> _declarations = new();
    private readonly KnownSymbols _known;

    private PluginParser(KnownSymbols known) => _known = known;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var parser = new PluginParser(KnownSymbols.From(context.SemanticModel.Compilation));
        return parser.ParsePlugin((INamedTypeSymbol)context.TargetSymbol, (ClassDeclarationSyntax)context.TargetNode, context.Attributes[0], cancellationToken);
    }

    private bool HasErrors => _diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error);

    private ParseResult ParsePlugin(INamedTypeSymbol plugin, ClassDeclarationSyntax syntax, AttributeData attribute, CancellationToken cancellationToken)
    {
        LocationInfo? attributeLocation = LocationInfo.From(attribute.ApplicationSyntaxReference);
        LocationInfo? classLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        string name = StringArgument(attribute, 0);
        string description = StringArgument(attribute, 1);
        int httpPort = NamedArgument(attribute, "DefaultHttpPort") is int port ? port : PluginDefaults.HttpPort;

        if (!PluginNamePattern.IsMatch(name))
        {
            Report(DiagnosticDescriptors.InvalidPluginName, attributeLocation, name);
        }

        bool isPartial = plugin.DeclaringSyntaxReferences.All(r =>
            r.GetSyntax(cancellationToken) is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!isPartial || plugin.ContainingType is not null || plugin.IsGenericType)
        {
            Report(DiagnosticDescriptors.PluginClassShape, classLocation, plugin.Name);
        }

        INamedTypeSymbol? record = FindRecordType(plugin);
        if (record is null)
        {
            Report(DiagnosticDescriptors.PluginBaseClass, classLocation, plugin.Name);
            return Result(name, attributeLocation, null);
        }

        bool hasPublicConstructor = record.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility == Accessibility.Public);
        if (record.TypeKind != TypeKind.Class || record.IsAbstract || !hasPublicConstructor)
        {
            Report(DiagnosticDescriptors.RecordShape, classLocation, record.ToDisplayString());
            return Result(name, attributeLocation, null);
        }

        bool hasHook = ParseHook(plugin, record);
        List<ParsedField> fields = ParseFields(record, cancellationToken);
        CheckOneEventKind(fields, record.Name);
        List<ConstantLabel> classLabels = ParseClassLabels(record);
        ParseClassMetrics(record);
        List<MetricModel> metrics = ReconcileMetrics(fields, classLabels);
        List<ExemplarModel> exemplars = CheckExemplars(metrics);
        List<UpdateModel> updates = HasErrors ? new List<UpdateModel>() : BuildUpdates(fields, metrics);

        PluginModel? model = HasErrors
            ? null
            : new PluginModel(
                plugin.ContainingNamespace.IsGlobalNamespace ? null : plugin.ContainingNamespace.ToDisplayString(),
                plugin.Name,
                name,
                description,
                httpPort,
                record.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                hasHook,
                fields.Select(f => f.ToModel(updates)).ToEquatableArray(),
                metrics.ToEquatableArray(),
                updates.ToEquatableArray(),
                _declarations.Where(d => d.Pattern is not null).Select(d => new PatternModel(d.Name, d.Pattern!, d.Action)).ToEquatableArray(),
                classLabels.ToEquatableArray(),
                exemplars.ToEquatableArray(),
                fields.Any(f => f.FromSpan));
        return Result(name, attributeLocation, model);
    }

    private ParseResult Result(string name, LocationInfo? location, PluginModel? model) =>
        new(new PluginSource(name, model), new PluginDiagnostics(name, location, _diagnostics.ToEquatableArray()));

    private INamedTypeSymbol? FindRecordType(INamedTypeSymbol plugin)
    {
        for (INamedTypeSymbol? type = plugin.BaseType; type is not null; type = type.BaseType)
        {
            if (type.IsGenericType && SymbolEqualityComparer.Default.Equals(type.ConstructedFrom, _known.ExporterBase))
            {
                return type.TypeArguments[0] as INamedTypeSymbol;
            }
        }

        return null;
    }

    /// <summary>Finds <c>static bool OnRecord(TRecord record, in EventContext context)</c>; any other OnRecord is FBP027.</summary>
    private bool ParseHook(INamedTypeSymbol plugin, INamedTypeSymbol record)
    {
        bool found = false;
        foreach (ISymbol member in plugin.GetMembers(KnownNames.HookMethod))
        {
            bool valid = member is IMethodSymbol method
                && method.IsStatic
                && !method.IsGenericMethod
                && method.ReturnType.SpecialType == SpecialType.System_Boolean
                && method.Parameters.Length == 2
                && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, record)
                && method.Parameters[0].RefKind == RefKind.None
                && SymbolEqualityComparer.Default.Equals(method.Parameters[1].Type, _known.EventContext)
                && method.Parameters[1].RefKind == RefKind.In;
            if (!valid || found)
            {
                Report(DiagnosticDescriptors.HookSignature, LocationInfo.From(member.Locations.FirstOrDefault()), plugin.Name, record.Name);
                continue;
            }

            found = true;
        }

        return found;
    }

    private List<ConstantLabel> ParseClassLabels(INamedTypeSymbol record)
    {
        var labels = new List<ConstantLabel>();
        foreach (AttributeData label in record.GetAttributes().Where(a => KnownSymbols.Is(a, _known.Label)))
        {
            LocationInfo? location = LocationInfo.From(label.ApplicationSyntaxReference);
            string labelName = StringArgument(label, 0);
            if (label.ConstructorArguments.Length < 2)
            {
                Report(DiagnosticDescriptors.ConflictingAttributes, location, $"[Label(\"{labelName}\")] on the record class", "a label whose value comes from the record goes on the property that holds it; on the class, give a constant value: [Label(\"name\", \"value\")]");
            }
            else if (CheckLabelName(labelName, location) && labels.Any(l => l.Name == labelName))
            {
                Report(DiagnosticDescriptors.DuplicateLabel, location, labelName, record.Name);
            }
            else
            {
                labels.Add(new ConstantLabel(labelName, StringArgument(label, 1)));
            }
        }

        return labels;
    }

    private bool CheckMetricName(string name, LocationInfo? location)
    {
        if (MetricNamePattern.IsMatch(name))
        {
            return true;
        }

        Report(DiagnosticDescriptors.InvalidMetricName, location, name);
        return false;
    }

    private bool CheckLabelName(string name, LocationInfo? location)
    {
        if (KeyPatternSyntax.IsLabelName(name))
        {
            return true;
        }

        Report(DiagnosticDescriptors.InvalidLabelName, location, name);
        return false;
    }

    private static string StringArgument(AttributeData attribute, int index) =>
        attribute.ConstructorArguments.Length > index && attribute.ConstructorArguments[index].Value is string value ? value : "";

    private static object? NamedArgument(AttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value;

    private static List<double> DoublesArgument(AttributeData attribute, string name)
    {
        TypedConstant value = attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value;
        return value.Kind == TypedConstantKind.Array && !value.IsNull
            ? value.Values.Select(v => Convert.ToDouble(v.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList()
            : new List<double>();
    }

    private static List<string> StringsArgument(AttributeData attribute, string name)
    {
        TypedConstant value = attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value;
        return value.Kind == TypedConstantKind.Array && !value.IsNull
            ? value.Values.Select(v => v.Value as string ?? "").ToList()
            : new List<string>();
    }

    private void Report(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
        _diagnostics.Add(new DiagnosticInfo(descriptor, location, arguments.ToEquatableArray()));
}
