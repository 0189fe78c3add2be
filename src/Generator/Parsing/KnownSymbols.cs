using Microsoft.CodeAnalysis;

namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>The runtime's attribute and base types as symbols of one compilation, compared by identity rather than by name.</summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation)
    {
        ExporterBase = compilation.GetTypeByMetadataName(KnownNames.ExporterBase);
        EventContext = compilation.GetTypeByMetadataName(KnownNames.EventContext);
        Key = compilation.GetTypeByMetadataName(KnownNames.KeyAttribute);
        Metadata = compilation.GetTypeByMetadataName(KnownNames.MetadataAttribute);
        Tag = compilation.GetTypeByMetadataName(KnownNames.TagAttribute);
        EventTime = compilation.GetTypeByMetadataName(KnownNames.EventTimeAttribute);
        EventDelay = compilation.GetTypeByMetadataName(KnownNames.EventDelayAttribute);
        Computed = compilation.GetTypeByMetadataName(KnownNames.ComputedAttribute);
        Label = compilation.GetTypeByMetadataName(KnownNames.LabelAttribute);
        Exemplar = compilation.GetTypeByMetadataName(KnownNames.ExemplarAttribute);
        Gauge = compilation.GetTypeByMetadataName(KnownNames.GaugeAttribute);
        Counter = compilation.GetTypeByMetadataName(KnownNames.CounterAttribute);
        Histogram = compilation.GetTypeByMetadataName(KnownNames.HistogramAttribute);
        Summary = compilation.GetTypeByMetadataName(KnownNames.SummaryAttribute);
        RecordCounter = compilation.GetTypeByMetadataName(KnownNames.RecordCounterAttribute);
        SpanField = compilation.GetTypeByMetadataName(KnownNames.SpanFieldAttribute);
        SpanAttribute = compilation.GetTypeByMetadataName(KnownNames.SpanAttributeAttribute);
        ResourceAttribute = compilation.GetTypeByMetadataName(KnownNames.ResourceAttributeAttribute);
        ReadOnlyMemory = compilation.GetTypeByMetadataName("System.ReadOnlyMemory`1");
    }

    public INamedTypeSymbol? ExporterBase { get; }

    public INamedTypeSymbol? EventContext { get; }

    public INamedTypeSymbol? Key { get; }

    public INamedTypeSymbol? Metadata { get; }

    public INamedTypeSymbol? Tag { get; }

    public INamedTypeSymbol? EventTime { get; }

    public INamedTypeSymbol? EventDelay { get; }

    public INamedTypeSymbol? Computed { get; }

    public INamedTypeSymbol? Label { get; }

    public INamedTypeSymbol? Exemplar { get; }

    public INamedTypeSymbol? Gauge { get; }

    public INamedTypeSymbol? Counter { get; }

    public INamedTypeSymbol? Histogram { get; }

    public INamedTypeSymbol? Summary { get; }

    public INamedTypeSymbol? RecordCounter { get; }

    public INamedTypeSymbol? SpanField { get; }

    public INamedTypeSymbol? SpanAttribute { get; }

    public INamedTypeSymbol? ResourceAttribute { get; }

    public INamedTypeSymbol? ReadOnlyMemory { get; }

    public static KnownSymbols From(Compilation compilation) => new(compilation);

    public static bool Is(AttributeData attribute, INamedTypeSymbol? type) =>
        type is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, type);
}
