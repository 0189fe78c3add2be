using System.Globalization;
using System.Linq;
using FluentBit.Plugins.Generator.Model;
using static FluentBit.Plugins.Generator.Emitting.KnownTypeNames;

namespace FluentBit.Plugins.Generator.Emitting;

/// <summary>
/// Writes <c>Instruments</c>: the collectors of one [OUTPUT] instance, every series whose labels are constant
/// resolved once, a series table for each metric whose labels come from the record, and each metric's health.
/// </summary>
internal sealed partial class Emitter
{
    private void WriteInstruments(SourceWriter w)
    {
        w.Line("/// <summary>The collectors of one [OUTPUT] instance.</summary>");
        w.Line(GeneratedCode);
        w.Open("public sealed class Instruments");
        foreach (MetricModel metric in _plugin.Metrics)
        {
            string collector = Collector(metric.Kind);
            w.Line($"/// <summary><c>{Escape(metric.Name)}</c>: {metric.Kind.Name()}{LabelsText(metric)}.</summary>");
            w.Line($"public readonly {collector} {_names.Metric(metric.Name)};");
            w.Line();
            w.Line($"public readonly {MetricHealth} {_names.Health(metric.Name)};");
            w.Line();
            if (HasSeriesTable(metric))
            {
                w.Line($"public readonly {LabeledMetric}<{collector}.Child> {_names.Series(metric.Name)};");
                w.Line();
            }
        }

        foreach (UpdateModel update in StaticUpdates())
        {
            MetricModel metric = _plugin.Metric(update.MetricName);
            w.Line($"public readonly {Collector(metric.Kind)}{(metric.LabelNames.Length == 0 ? "" : ".Child")} {_names.Child(update)};");
            w.Line();
            if (_plugin.HasExemplars(metric))
            {
                w.Line($"public readonly {ExemplarGate} {_names.Child(update)}Exemplars = new {ExemplarGate}();");
                w.Line();
            }
        }

        if (_plugin.Exemplars.Length > 0)
        {
            w.Line($"/// <summary>The exemplar labels of every counter and histogram: {string.Join(", ", _plugin.Exemplars.Select(e => Escape(e.Name)))}.</summary>");
            w.Line($"public readonly {ExemplarLabels} Exemplars = new {ExemplarLabels}("
                + $"new string[] {{ {string.Join(", ", _plugin.Exemplars.Select(e => SourceWriter.Literal(e.Name)))} }}, "
                + $"new {TraceParentPartEnum}[] {{ {string.Join(", ", _plugin.Exemplars.Select(e => $"{TraceParentPartEnum}.{e.Part}"))} }});");
            w.Line();
        }

        for (int i = 0; i < _plugin.Patterns.Length; i++)
        {
            PatternModel pattern = _plugin.Patterns[i];
            MetricModel metric = _plugin.Metric(pattern.MetricName);
            w.Line($"/// <summary><c>{Escape(pattern.MetricName)}</c>, from every key matching <c>{Escape(pattern.Pattern)}</c>.</summary>");
            w.Line($"public readonly {KeyPatternMetric}<{Collector(metric.Kind)}.Child> {_names.Pattern(i)};");
            w.Line();
        }

        WriteInstrumentsConstructor(w);
        if (_plugin.HasHook)
        {
            WriteRecordFiltered(w);
        }

        w.Close();
    }

    private void WriteInstrumentsConstructor(SourceWriter w)
    {
        w.Open($"public Instruments({CollectorRegistry} registry, {MetricOptions} options)");
        string factory = $"{Metrics}.WithCustomRegistry(registry)";
        if (_plugin.ClassLabels.Length > 0)
        {
            string labels = string.Join(", ", _plugin.ClassLabels.Select(l => $"[{SourceWriter.Literal(l.Name)}] = {SourceWriter.Literal(l.Value)}"));
            factory += $".WithLabels(new {Dictionary}<string, string> {{ {labels} }})";
        }

        w.Line($"{IMetricFactory} factory = {factory};");
        foreach (MetricModel metric in _plugin.Metrics)
        {
            string field = _names.Metric(metric.Name);
            w.Line($"{_names.Health(metric.Name)} = options.Health({SourceWriter.Literal(metric.Name)});");
            w.Line($"{field} = factory.Create{metric.Kind.CollectorType()}({SourceWriter.Literal(metric.Name)}, {SourceWriter.Literal(metric.Help)}, new {CollectorConfiguration(metric.Kind)}");
            w.Open();

            // Series appear at their first value, not as a misleading 0 before any record arrived.
            w.Line($"LabelNames = {StringArray(metric.LabelNames)},");
            w.Line("SuppressInitialValue = true,");
            WriteKindOptions(w, metric);
            w.Close(");");
            if (HasSeriesTable(metric))
            {
                string expiry = metric.ExpireAfterSeconds > 0 ? $"{TimeSpan}.FromSeconds({Number(metric.ExpireAfterSeconds)})" : "null";
                w.Line($"{_names.Series(metric.Name)} = new {LabeledMetric}<{Collector(metric.Kind)}.Child>(registry, {field}, {_names.Health(metric.Name)}, "
                    + $"new {SeriesLimits}({metric.MaxSeries}, {SeriesOverflowEnum}.{metric.Overflow}, options.IdleExpiry({SourceWriter.Literal(metric.Name)}, {expiry})));");
            }
        }

        foreach (UpdateModel update in StaticUpdates())
        {
            MetricModel metric = _plugin.Metric(update.MetricName);
            string child = metric.LabelNames.Length == 0 ? "" : $".WithLabels({string.Join(", ", update.Labels.Select(l => SourceWriter.Literal(l.Constant!)))})";
            w.Line($"{_names.Child(update)} = {_names.Metric(metric.Name)}{child};");
        }

        for (int i = 0; i < _plugin.Patterns.Length; i++)
        {
            PatternModel pattern = _plugin.Patterns[i];
            MetricModel metric = _plugin.Metric(pattern.MetricName);
            w.Line($"{_names.Pattern(i)} = new {KeyPatternMetric}<{Collector(metric.Kind)}.Child>({_names.Series(metric.Name)}, {SourceWriter.Literal(pattern.Pattern)});");
        }

        w.Close();
    }

    private void WriteRecordFiltered(SourceWriter w)
    {
        w.Line();
        w.Line("/// <summary>Counts a record the plugin's <c>OnRecord</c> hook skipped as <c>filtered</c> against every metric, as each would have been fed.</summary>");
        w.Open("public void RecordFiltered()");
        foreach (MetricModel metric in _plugin.Metrics)
        {
            w.Line($"{_names.Health(metric.Name)}.Skip({SkipReason}.Filtered);");
        }

        w.Close();
    }

    private static void WriteKindOptions(SourceWriter w, MetricModel metric)
    {
        switch (metric.Kind)
        {
            case MetricKind.Gauge:
                break;
            case MetricKind.Counter:
                // Exemplar bookkeeping would allocate on every increment.
                w.Line($"ExemplarBehavior = {ExemplarBehavior}.NoExemplars(),");
                break;
            case MetricKind.Histogram:
                w.Line($"Buckets = new double[] {{ {string.Join(", ", metric.Buckets.Select(Number))} }},");
                w.Line($"ExemplarBehavior = {ExemplarBehavior}.NoExemplars(),");
                break;
            case MetricKind.Summary:
                // Each quantile's allowed error shrinks with its distance from 0 and 1, so 0.99 is not reported as 0.9.
                string objectives = string.Join(", ", metric.Quantiles.Select(q => $"new {QuantileEpsilonPair}({Number(q)}, {Number(Epsilon(q))})"));
                w.Line($"Objectives = new {QuantileEpsilonPair}[] {{ {objectives} }},");
                w.Line($"MaxAge = {TimeSpan}.FromSeconds({Number(metric.MaxAgeSeconds)}),");
                break;
            default:
                throw new System.ArgumentOutOfRangeException(nameof(metric), metric.Kind, null);
        }
    }

    /// <summary>The allowed rank error of a summary quantile: 0.05 in the middle, a tenth of the distance to 0 or 1 near them.</summary>
    private static double Epsilon(double quantile) => System.Math.Min(0.05, System.Math.Min(quantile, 1 - quantile) / 10);

    /// <summary>Whether the metric finds series at run time: from record labels, for expiry, or for its key patterns (which share the table and its cap).</summary>
    private bool HasSeriesTable(MetricModel metric) =>
        metric.Dynamic || _plugin.Patterns.Any(p => p.MetricName == metric.Name);

    /// <summary>The updates whose series are resolved once, in the constructor.</summary>
    private UpdateModel[] StaticUpdates() =>
        _plugin.Updates.Where(u => !_plugin.Metric(u.MetricName).Dynamic).ToArray();

    /// <summary>A double literal: the shortest text that round-trips, with ".0" when it would read as an integer.</summary>
    private static string Number(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }

    private static string LabelsText(MetricModel metric) =>
        metric.LabelNames.Length == 0 ? "" : " by " + string.Join(", ", metric.LabelNames);
}
