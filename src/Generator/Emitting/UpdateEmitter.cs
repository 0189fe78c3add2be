using System.Collections.Generic;
using System.Linq;
using FluentBit.Plugins.Generator.Model;

namespace FluentBit.Plugins.Generator.Emitting;

/// <summary>
/// Writes the updating half of <c>ApplyRecord</c>: each metric update checks that its value and labels were read,
/// counts a skip (per metric and reason) when one was not, finds its series and applies the value. Series whose
/// labels are constant were resolved once; the others are found from their label values' UTF-8 bytes.
/// </summary>
internal static class UpdateEmitter
{
    private const string CodeGen = PluginEmitter.CodeGen;

    public static void Write(SourceWriter w, PluginModel plugin, MemberNames names)
    {
        Dictionary<string, FieldModel> fields = plugin.Fields.ToDictionary(f => f.PropertyName);
        foreach (FieldModel computed in plugin.Fields.Where(f => f.Used && f.Source == FieldSource.Computed))
        {
            string property = $"record.{PluginEmitter.Identifier(computed.PropertyName)}";
            string present = computed.Type switch
            {
                FieldType.String => $"{property} is null ? (byte)0 : (byte)1",
                FieldType.Utf8 => $"{property}.IsEmpty ? (byte)0 : (byte)1",
                _ => "(byte)1",
            };
            w.Line($"byte {names.State(computed)} = {present};");
        }

        if (plugin.Updates.Any(u => InstrumentsEmitter.Metric(plugin, u.MetricName).Dynamic))
        {
            // One buffer for every series key of this event; 256 bytes fit most label sets, longer ones grow off the stack.
            w.Line("global::System.Span<byte> keyBuffer = stackalloc byte[256];");
        }

        foreach (UpdateModel update in plugin.Updates)
        {
            w.Line();
            WriteUpdate(w, plugin, names, fields, update);
        }
    }

    private static void WriteUpdate(SourceWriter w, PluginModel plugin, MemberNames names, Dictionary<string, FieldModel> fields, UpdateModel update)
    {
        MetricModel metric = InstrumentsEmitter.Metric(plugin, update.MetricName);
        string health = $"instruments.{names.Health(metric.Name)}";
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
            string state = names.State(field);
            w.Open($"{prefix} ({state} != 1)");
            w.Line(field.Source == FieldSource.Computed
                ? $"{health}.Skip({CodeGen}.SkipReason.{missing});"
                : $"{health}.Skip({state} == 0 ? {CodeGen}.SkipReason.{missing} : {CodeGen}.SkipReason.{invalid});");
            w.Close();
            prefix = "else if";
        }

        string value = update.ValueProperty is null ? "1" : ValueExpression(fields[update.ValueProperty]);
        if (!metric.Dynamic)
        {
            string apply = Apply(metric.Kind, update.Action, $"instruments.{names.Child(update)}", value);
            w.Open($"{(checks.Count == 0 ? "if" : "else if")} (!{apply})");
            w.Line($"{health}.Skip({CodeGen}.SkipReason.InvalidValue);");
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

        foreach (FieldModel replaced in update.Labels.Where(l => l.Property is not null).Select(l => fields[l.Property!]).Where(DecodeEmitter.NeedsReplacedFlag))
        {
            w.Open($"if ({names.Replaced(replaced)})");
            w.Line($"{health}.ReplacedLabels(1);");
            w.Close();
        }

        w.Line($"var seriesKey = new {CodeGen}.SeriesKey(keyBuffer);");
        foreach (LabelSource label in update.Labels)
        {
            w.Line($"seriesKey.Add({(label.Constant is { } constant ? SourceWriter.Literal(constant) + "u8" : LabelExpression(fields[label.Property!]))});");
        }

        w.Line($"global::Prometheus.{PluginEmitter.KindType(metric.Kind)}.Child? series = instruments.{names.Series(metric.Name)}.Get(in seriesKey);");
        w.Open($"if (series is not null && !{Apply(metric.Kind, update.Action, "series", value)})");
        w.Line($"{health}.Skip({CodeGen}.SkipReason.InvalidValue);");
        w.Close();
        w.Close();
    }

    /// <summary>The call that applies <paramref name="value"/> to a series; false when the value does not apply (negative for a counter, not finite).</summary>
    internal static string Apply(MetricKind kind, GaugeAction action, string series, string value) => kind switch
    {
        MetricKind.Counter => $"{CodeGen}.MetricValue.TryAdd({series}, {value})",
        MetricKind.Gauge when action == GaugeAction.Add => $"{CodeGen}.MetricValue.TryIncrement({series}, {value})",
        MetricKind.Gauge when action == GaugeAction.Subtract => $"{CodeGen}.MetricValue.TryDecrement({series}, {value})",
        MetricKind.Gauge => $"{CodeGen}.MetricValue.TrySet({series}, {value})",
        _ => $"{CodeGen}.MetricValue.TryObserve({series}, {value})",
    };

    /// <summary>Every numeric property type converts implicitly to double; only bool needs spelling out.</summary>
    private static string ValueExpression(FieldModel field)
    {
        string property = $"record.{PluginEmitter.Identifier(field.PropertyName)}";
        return field.Type == FieldType.Boolean ? $"{property} ? 1d : 0d" : property;
    }

    /// <summary>A label value as SeriesKey.Add takes it; unsigned integers name their overload, which long and ulong would otherwise tie for.</summary>
    private static string LabelExpression(FieldModel field)
    {
        string property = $"record.{PluginEmitter.Identifier(field.PropertyName)}";
        return field.Type switch
        {
            FieldType.String => property + "!",
            FieldType.Utf8 => property + ".Span",
            FieldType.Enum => $"{PluginEmitter.Helpers}.{field.PropertyName}Label({property})",
            FieldType.UInt32 or FieldType.UInt16 or FieldType.Byte => $"(ulong){property}",
            _ => property,
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
