using System.Collections.Generic;
using System.Linq;
using FluentBit.Plugins.Generator.Diagnostics;
using FluentBit.Plugins.Generator.Model;
using FluentBit.Plugins.Patterns;
using Microsoft.CodeAnalysis;

namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>The record's [Exemplar] properties: the labels of the exemplars its counters and histograms carry.</summary>
internal sealed partial class PluginParser
{
    /// <summary>The most exemplar labels a record may declare (the runtime's ExemplarLabels.MaxLabels).</summary>
    private const int MaxExemplarLabels = 3;

    /// <summary>OpenMetrics' limit on an exemplar's label names and values together.</summary>
    private const int MaxExemplarRunes = 128;

    private readonly List<(ExemplarModel Model, LocationInfo? Location)> _exemplars = new();

    private void ParseExemplars(ParsedField field, AttributeData[] attributes, LocationInfo? location)
    {
        foreach (AttributeData attribute in attributes.Where(a => KnownSymbols.Is(a, _known.Exemplar)))
        {
            LocationInfo? at = LocationInfo.From(attribute.ApplicationSyntaxReference) ?? location;
            string name = StringArgument(attribute, 0);
            TraceParentPart part = NamedArgument(attribute, "TraceParent") is int value ? (TraceParentPart)value : TraceParentPart.None;
            MetricKind? kind = attributes.Select(MetricKindOf).FirstOrDefault(k => k is not null);
            if (kind is MetricKind.Gauge or MetricKind.Summary)
            {
                AttributeData metric = attributes.First(a => MetricKindOf(a) == kind);
                Report(DiagnosticDescriptors.ExemplarOnGaugeOrSummary, at, field.PropertyName, kind.Value.Name(), StringArgument(metric, 0));
                continue;
            }

            string? problem =
                kind is not null ? "an exemplar's label is an id such as a trace id, not the value it annotates; put [Exemplar] on the property that holds the id"
                : field.Type != FieldType.Utf8 ? "declare it as ReadOnlyMemory<byte>, which points into the chunk: an id read as a string would allocate for every record"
                : !KeyPatternSyntax.IsLabelName(name) ? $"'{name}' is not a valid label name; use letters, digits and '_', not starting with a digit or with '__' (for example 'trace_id')"
                : _exemplars.Any(e => e.Model.Name == name) ? $"the exemplar label '{name}' is declared twice; each label has one source"
                : _exemplars.Count == MaxExemplarLabels ? $"a record has at most {MaxExemplarLabels} exemplar labels (trace_id, span_id and one more)"
                : null;
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.InvalidExemplar, at, field.PropertyName, problem);
                continue;
            }

            field.Exemplar = true;
            _exemplars.Add((new ExemplarModel(name, field.PropertyName, part), at));
        }
    }

    /// <summary>Checks what only the whole record shows: something to carry the exemplars, and their length.</summary>
    private List<ExemplarModel> CheckExemplars(List<MetricModel> metrics)
    {
        if (_exemplars.Count == 0)
        {
            return new List<ExemplarModel>();
        }

        (ExemplarModel first, LocationInfo? location) = _exemplars[0];
        if (!metrics.Any(m => m.Kind.TakesExemplars()))
        {
            Report(DiagnosticDescriptors.ExemplarWithoutTarget, location, first.Name, first.Property);
        }

        // Known at build time: the names, a traceparent part's fixed length, and at least one character of any other value.
        int least = _exemplars.Sum(e => e.Model.Name.Length + e.Model.Part switch
        {
            TraceParentPart.TraceId => 32,
            TraceParentPart.SpanId => 16,
            TraceParentPart.None => 1,
            _ => throw new System.ArgumentOutOfRangeException(nameof(e), e.Model.Part, null),
        });
        if (least > MaxExemplarRunes)
        {
            Report(DiagnosticDescriptors.ExemplarTooLong, location, string.Join(", ", _exemplars.Select(e => e.Model.Name)), least.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return _exemplars.Select(e => e.Model).ToList();
    }
}
