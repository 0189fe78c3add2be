using Microsoft.CodeAnalysis;

namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>The runtime's attribute and base types as symbols of one compilation, compared by identity rather than by name.</summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation)
    {
        ExporterBase = compilation.GetTypeByMetadataName(KnownNames.ExporterBase);
        KeyAttribute = compilation.GetTypeByMetadataName(KnownNames.KeyAttribute);
        GaugeAttribute = compilation.GetTypeByMetadataName(KnownNames.GaugeAttribute);
        CounterAttribute = compilation.GetTypeByMetadataName(KnownNames.CounterAttribute);
        LabelAttribute = compilation.GetTypeByMetadataName(KnownNames.LabelAttribute);
        GaugeFromKeysAttribute = compilation.GetTypeByMetadataName(KnownNames.GaugeFromKeysAttribute);
        RecordCounterAttribute = compilation.GetTypeByMetadataName(KnownNames.RecordCounterAttribute);
    }

    public INamedTypeSymbol? ExporterBase { get; }

    public INamedTypeSymbol? KeyAttribute { get; }

    public INamedTypeSymbol? GaugeAttribute { get; }

    public INamedTypeSymbol? CounterAttribute { get; }

    public INamedTypeSymbol? LabelAttribute { get; }

    public INamedTypeSymbol? GaugeFromKeysAttribute { get; }

    public INamedTypeSymbol? RecordCounterAttribute { get; }

    public static KnownSymbols From(Compilation compilation) => new(compilation);

    public static bool Is(AttributeData attribute, INamedTypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, type);
}
