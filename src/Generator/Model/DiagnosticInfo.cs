using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FluentBit.Plugins.Generator.Model;

/// <summary>Where a diagnostic points, kept as plain values so the pipeline can compare and cache it.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo? From(SyntaxReference? reference) =>
        reference is null ? null : From(reference.GetSyntax().GetLocation());
}

/// <summary>A diagnostic found while parsing, reported when the pipeline's output runs.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), Arguments.AsSpan().ToArray());
}

/// <summary>What parsing one [FluentBitPlugin] class yields, split at once into the two halves the pipeline feeds apart.</summary>
internal sealed record ParseResult(PluginSource Source, PluginDiagnostics Diagnostics);

/// <summary>What source is emitted from: no locations, so moving code without changing it leaves this equal.</summary>
/// <param name="Model">Null when the plugin has errors.</param>
internal sealed record PluginSource(string PluginName, PluginModel? Model);

/// <summary>Where one plugin class is and what is wrong with it; reported, never emitted from.</summary>
internal sealed record PluginDiagnostics(string PluginName, LocationInfo? Location, EquatableArray<DiagnosticInfo> Diagnostics);
