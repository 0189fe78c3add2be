using System.Collections.Generic;
using System.Linq;
using FluentBit.Plugins.Generator.Model;
using static FluentBit.Plugins.Generator.Emitting.KnownTypeNames;

namespace FluentBit.Plugins.Generator.Emitting;

/// <summary>
/// Writes the updating half of <c>ApplyRecord</c>: each metric update checks that its value and labels were read,
/// counts a skip (per metric and reason) when one was not, finds its series and applies the value. Series whose
/// labels are constant were resolved once; the others are found from their label values' UTF-8 bytes.
/// </summary>
internal sealed partial class Emitter
{
    private void WriteUpdates(SourceWriter w)
    {
        Dictionary<string, FieldModel> fields = _plugin.Fields.ToDictionary(f => f.PropertyName);
        foreach (FieldModel computed in _plugin.Fields.Where(f => f.Used && f.Source == FieldSource.Computed))
        {
            string property = Property(computed);
            string present = computed.Type switch
            {
                FieldType.String => $"{property} is null ? (byte)0 : (byte)1",
                FieldType.Utf8 => $"{property}.IsEmpty ? (byte)0 : (byte)1",
                FieldType.Double or FieldType.Single or FieldType.Int64 or FieldType.Int32 or FieldType.Int16 or FieldType.SByte
                    or FieldType.UInt64 or FieldType.UInt32 or FieldType.UInt16 or FieldType.Byte or FieldType.Boolean or FieldType.Enum => "(byte)1",
                _ => throw new System.ArgumentOutOfRangeException(nameof(computed), computed.Type, null),
            };
            w.Line($"byte {_names.State(computed)} = {present};");
        }

        if (_plugin.Updates.Any(u => _plugin.HasExemplars(_plugin.Metric(u.MetricName))))
        {
            // Checked once per record, offered to each counter and histogram below; only a series whose gate is open turns it into strings.
            string values = string.Join(", ", _plugin.Exemplars.Select(e => fields[e.Property])
                .Select(f => $"{_names.State(f)} == 1 ? {Property(f)} : {_names.State(f)} == 2 ? {ExemplarLabels}.Unreadable : default"));
            w.Line($"// The record's exemplar ({string.Join(", ", _plugin.Exemplars.Select(e => $"{e.Name}=<{e.Property}>"))}): checked once, offered to each counter and histogram below.");
            w.Line($"var exemplar = instruments.Exemplars.Check({values});");
        }

        if (_plugin.Updates.Any(u => _plugin.Metric(u.MetricName).Dynamic))
        {
            // One buffer for every series key of this event; 256 bytes fit most label sets, longer ones grow off the stack.
            w.Line($"{Span}<byte> keyBuffer = stackalloc byte[256];");
        }

        foreach (UpdateModel update in _plugin.Updates)
        {
            w.Line();
            WriteUpdate(w, fields, update);
        }
    }

    private void WriteUpdate(SourceWriter w, Dictionary<string, FieldModel> fields, UpdateModel update)
    {
        MetricModel metric = _plugin.Metric(update.MetricName);
        string health = $"instruments.{_names.Health(metric.Name)}";
        w.Line($"// {metric.Name}{Describe(metric, update)}");

        var checks = new List<(FieldModel Field, string Missing, string Invalid)>();
        if (update.ValueProperty is { } valueProperty)
        {
            checks.Add((fields[valueProperty], "MissingValue", "InvalidValue"));
        }

        checks.AddRange(update.Labels.Where(l => l.Property is not null).Select(l => (fields[l.Property!], "MissingLabel", "InvalidLabel")));
        string prefix = "if";
        foreach ((FieldModel field, string missing, string invalid) in checks.GroupBy(c => c.Field.PropertyName).Select(g => g.First()))
        {
            string state = _names.State(field);
            w.Open($"{prefix} ({state} != 1)");
            w.Line(field.Source == FieldSource.Computed
                ? $"{health}.Skip({SkipReason}.{missing});"
                : $"{health}.Skip({state} == 0 ? {SkipReason}.{missing} : {SkipReason}.{invalid});");
            w.Close();
            prefix = "else if";
        }

        string value = update.ValueProperty is null ? "1" : ValueExpression(fields[update.ValueProperty]);
        bool exemplars = _plugin.HasExemplars(metric);
        if (!metric.Dynamic)
        {
            string exemplar = exemplars ? $", in exemplar, instruments.{_names.Child(update)}Exemplars, {health}" : "";
            string apply = Apply(metric.Kind, update.Action, $"instruments.{_names.Child(update)}", value + exemplar);
            w.Open($"{(checks.Count == 0 ? "if" : "else if")} (!{apply})");
            w.Line($"{health}.Skip({SkipReason}.InvalidValue);");
            w.Close();
            return;
        }

        if (checks.Count > 0)
        {
            w.Open("else");
        }
        else
        {
            w.Open();
        }

        foreach (FieldModel replaced in update.Labels.Where(l => l.Property is not null).Select(l => fields[l.Property!]).Where(f => f.NeedsReplacedFlag))
        {
            w.Open($"if ({_names.Replaced(replaced)})");
            w.Line($"{health}.ReplacedLabels(1);");
            w.Close();
        }

        w.Line($"var seriesKey = new {SeriesKey}(keyBuffer);");
        foreach (LabelSource label in update.Labels)
        {
            w.Line($"seriesKey.Add({(label.Constant is { } constant ? SourceWriter.Literal(constant) + "u8" : LabelExpression(fields[label.Property!]))});");
        }

        if (exemplars)
        {
            w.Line($"{Collector(metric.Kind)}.Child? series = instruments.{_names.Series(metric.Name)}.Get(in seriesKey, out {ExemplarGate}? exemplarGate);");
            w.Open($"if (series is not null && !{Apply(metric.Kind, update.Action, "series", value + $", in exemplar, exemplarGate, {health}")})");
        }
        else
        {
            w.Line($"{Collector(metric.Kind)}.Child? series = instruments.{_names.Series(metric.Name)}.Get(in seriesKey);");
            w.Open($"if (series is not null && !{Apply(metric.Kind, update.Action, "series", value)})");
        }

        w.Line($"{health}.Skip({SkipReason}.InvalidValue);");
        w.Close();
        w.Close();
    }

    /// <summary>
    /// The call that applies <paramref name="value"/> (and, for a counter or histogram, the exemplar arguments after it)
    /// to a series; false when the value does not apply (negative for a counter, not finite).
    /// </summary>
    private static string Apply(MetricKind kind, GaugeAction action, string series, string value)
    {
        string method = kind switch
        {
            MetricKind.Gauge => action switch
            {
                GaugeAction.Set => "TrySet",
                GaugeAction.Add => "TryIncrement",
                GaugeAction.Subtract => "TryDecrement",
                _ => throw new System.ArgumentOutOfRangeException(nameof(action), action, null),
            },
            MetricKind.Counter => "TryAdd",
            MetricKind.Histogram or MetricKind.Summary => "TryObserve",
            _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        return $"{MetricValue}.{method}({series}, {value})";
    }

    /// <summary>Every numeric property type converts implicitly to double; only bool needs spelling out.</summary>
    private static string ValueExpression(FieldModel field)
    {
        string property = Property(field);
        return field.Type == FieldType.Boolean ? $"{property} ? 1d : 0d" : property;
    }

    /// <summary>A label value as SeriesKey.Add takes it; unsigned integers name their overload, which long and ulong would otherwise tie for.</summary>
    private static string LabelExpression(FieldModel field)
    {
        string property = Property(field);
        return field.Type switch
        {
            FieldType.String => property + "!",
            FieldType.Utf8 => property + ".Span",
            FieldType.Enum => $"{FieldHelpers}.{field.PropertyName}Label({property})",
            FieldType.UInt32 or FieldType.UInt16 or FieldType.Byte => $"(ulong){property}",
            FieldType.Double or FieldType.Single or FieldType.Int64 or FieldType.Int32 or FieldType.Int16 or FieldType.SByte
                or FieldType.UInt64 or FieldType.Boolean => property,
            _ => throw new System.ArgumentOutOfRangeException(nameof(field), field.Type, null),
        };
    }

    private static string Describe(MetricModel metric, UpdateModel update)
    {
        string labels = update.Labels.Length == 0
            ? ""
            : "{" + string.Join(", ", metric.LabelNames.Select((n, i) => update.Labels[i].Constant is { } c ? $"{n}=\"{c}\"" : $"{n}=<{update.Labels[i].Property}>")) + "}";
        string value = update.ValueProperty is null ? "+1 per record" : $"from {update.ValueProperty}";
        return $"{labels}: {value}";
    }
}
