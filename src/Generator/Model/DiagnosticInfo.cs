using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace FluentBit.Plugins.Generator.Model;

/// <summary>Where a diagnostic points, kept as plain values so the pipeline can compare and cache it.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>
    /// The location again in the user's syntax tree, so <c>#pragma warning disable</c> and <c>.editorconfig</c>
    /// severities apply to the diagnostic: the compiler consults them only for a location in a tree of the
    /// compilation, and <c>Location.Create(path, span, lineSpan)</c> makes one outside every tree (dotnet/roslyn#68291).
    /// The path alone is the fallback for a file the compilation no longer has.
    /// </summary>
    public Location ToLocation(Compilation compilation)
    {
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (tree.FilePath == FilePath && Span.End <= tree.Length)
            {
                return Location.Create(tree, Span);
            }
        }

        return Location.Create(FilePath, Span, LineSpan);
    }

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
    public Diagnostic ToDiagnostic(Compilation compilation) =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(compilation), Arguments.AsSpan().ToArray());
}

/// <summary>What parsing one [FluentBitPlugin] class yields, split at once into the two halves the pipeline feeds apart.</summary>
internal sealed record ParseResult(PluginSource Source, PluginDiagnostics Diagnostics);

/// <summary>What source is emitted from: no locations, so moving code without changing it leaves this equal.</summary>
/// <param name="Model">Null when the plugin has errors.</param>
internal sealed record PluginSource(string PluginName, PluginModel? Model);

/// <summary>Where one plugin class is and what is wrong with it; reported, never emitted from.</summary>
internal sealed record PluginDiagnostics(string PluginName, LocationInfo? Location, EquatableArray<DiagnosticInfo> Diagnostics);
