using System.Globalization;
using System.Linq;
using FluentBit.Plugins.Generator.Model;

namespace FluentBit.Plugins.Generator.Emitting;

/// <summary>
/// Writes <c>Instruments</c>: the collectors of one [OUTPUT] instance, every series whose labels are constant
/// resolved once, a series table for each metric whose labels come from the record, and each metric's health.
/// </summary>
internal static class InstrumentsEmitter
{
    private const string CodeGen = PluginEmitter.CodeGen;

    public static void Write(SourceWriter w, PluginModel plugin, MemberNames names)
    {
        w.Line("/// <summary>The collectors of one [OUTPUT] instance.</summary>");
        w.Line(PluginEmitter.GeneratedCodeAttribute);
        w.Open("public sealed class Instruments");
        foreach (MetricModel metric in plugin.Metrics)
        {
            string kind = PluginEmitter.KindType(metric.Kind);
            w.Line($"/// <summary><c>{PluginEmitter.Escape(metric.Name)}</c>: {PluginEmitter.KindType(metric.Kind).ToLowerInvariant()}{LabelsText(metric)}.</summary>");
            w.Line($"public readonly global::Prometheus.{kind} {names.Metric(metric.Name)};");
            w.Line();
            w.Line($"public readonly {CodeGen}.MetricHealth {names.Health(metric.Name)};");
            w.Line();
            if (HasSeriesTable(plugin, metric))
            {
                w.Line($"public readonly {CodeGen}.LabeledMetric<global::Prometheus.{kind}.Child> {names.Series(metric.Name)};");
                w.Line();
            }
        }

        foreach (UpdateModel update in StaticUpdates(plugin))
        {
            MetricModel metric = Metric(plugin, update.MetricName);
            w.Line($"public readonly global::Prometheus.{PluginEmitter.KindType(metric.Kind)}{(metric.LabelNames.Length == 0 ? "" : ".Child")} {names.Child(update)};");
            w.Line();
        }

        for (int i = 0; i < plugin.Patterns.Length; i++)
        {
            PatternModel pattern = plugin.Patterns[i];
            MetricModel metric = Metric(plugin, pattern.MetricName);
            w.Line($"/// <summary><c>{PluginEmitter.Escape(pattern.MetricName)}</c>, from every key matching <c>{PluginEmitter.Escape(pattern.Pattern)}</c>.</summary>");
            w.Line($"public readonly {CodeGen}.KeyPatternMetric<global::Prometheus.{PluginEmitter.KindType(metric.Kind)}.Child> {names.Pattern(i)};");
            w.Line();
        }

        WriteConstructor(w, plugin, names);
        if (plugin.HasHook)
        {
            WriteRecordFiltered(w, plugin, names);
        }

        w.Close();
    }

    private static void WriteConstructor(SourceWriter w, PluginModel plugin, MemberNames names)
    {
        w.Open($"public Instruments(global::Prometheus.CollectorRegistry registry, {CodeGen}.MetricOptions options)");
        string factory = "global::Prometheus.Metrics.WithCustomRegistry(registry)";
        if (plugin.ClassLabels.Length > 0)
        {
            string labels = string.Join(", ", plugin.ClassLabels.Select(l => $"[{SourceWriter.Literal(l.Name)}] = {SourceWriter.Literal(l.Value)}"));
            factory += $".WithLabels(new global::System.Collections.Generic.Dictionary<string, string> {{ {labels} }})";
        }

        w.Line($"global::Prometheus.IMetricFactory factory = {factory};");
        foreach (MetricModel metric in plugin.Metrics)
        {
            string kind = PluginEmitter.KindType(metric.Kind);
            string field = names.Metric(metric.Name);
            w.Line($"{names.Health(metric.Name)} = options.Health({SourceWriter.Literal(metric.Name)});");
            w.Line($"{field} = factory.Create{kind}({SourceWriter.Literal(metric.Name)}, {SourceWriter.Literal(metric.Help)}, new global::Prometheus.{kind}Configuration");
            w.Open();

            // Series appear at their first value, not as a misleading 0 before any record arrived.
            w.Line($"LabelNames = {PluginEmitter.StringArray(metric.LabelNames)},");
            w.Line("SuppressInitialValue = true,");
            WriteKindOptions(w, metric);
            w.Close(");");
            if (HasSeriesTable(plugin, metric))
            {
                string expiry = metric.ExpireAfterSeconds > 0 ? $"global::System.TimeSpan.FromSeconds({Number(metric.ExpireAfterSeconds)})" : "null";
                w.Line($"{names.Series(metric.Name)} = new {CodeGen}.LabeledMetric<global::Prometheus.{kind}.Child>(registry, {field}, {names.Health(metric.Name)}, "
                    + $"new {CodeGen}.SeriesLimits({metric.MaxSeries}, global::FluentBit.Plugins.SeriesOverflow.{metric.Overflow}, options.IdleExpiry({SourceWriter.Literal(metric.Name)}, {expiry})));");
            }
        }

        foreach (UpdateModel update in StaticUpdates(plugin))
        {
            MetricModel metric = Metric(plugin, update.MetricName);
            string child = metric.LabelNames.Length == 0 ? "" : $".WithLabels({string.Join(", ", update.Labels.Select(l => SourceWriter.Literal(l.Constant!)))})";
            w.Line($"{names.Child(update)} = {names.Metric(metric.Name)}{child};");
        }

        for (int i = 0; i < plugin.Patterns.Length; i++)
        {
            PatternModel pattern = plugin.Patterns[i];
            MetricModel metric = Metric(plugin, pattern.MetricName);
            w.Line($"{names.Pattern(i)} = new {CodeGen}.KeyPatternMetric<global::Prometheus.{PluginEmitter.KindType(metric.Kind)}.Child>({names.Series(metric.Name)}, {SourceWriter.Literal(pattern.Pattern)});");
        }

        w.Close();
    }

    private static void WriteRecordFiltered(SourceWriter w, PluginModel plugin, MemberNames names)
    {
        w.Line();
        w.Line("/// <summary>Counts a record the plugin's <c>OnRecord</c> hook skipped as <c>filtered</c> against every metric, as each would have been fed.</summary>");
        w.Open("public void RecordFiltered()");
        foreach (MetricModel metric in plugin.Metrics)
        {
            w.Line($"{names.Health(metric.Name)}.Skip({CodeGen}.SkipReason.Filtered);");
        }

        w.Close();
    }

    private static void WriteKindOptions(SourceWriter w, MetricModel metric)
    {
        switch (metric.Kind)
        {
            case MetricKind.Counter:
                // Exemplar bookkeeping would allocate on every increment.
                w.Line("ExemplarBehavior = global::Prometheus.ExemplarBehavior.NoExemplars(),");
                break;
            case MetricKind.Histogram:
                w.Line($"Buckets = new double[] {{ {string.Join(", ", metric.Buckets.Select(Number))} }},");
                w.Line("ExemplarBehavior = global::Prometheus.ExemplarBehavior.NoExemplars(),");
                break;
            case MetricKind.Summary:
                // Each quantile's allowed error shrinks with its distance from 0 and 1, so 0.99 is not reported as 0.9.
                string objectives = string.Join(", ", metric.Quantiles.Select(q => $"new global::Prometheus.QuantileEpsilonPair({Number(q)}, {Number(Epsilon(q))})"));
                w.Line($"Objectives = new global::Prometheus.QuantileEpsilonPair[] {{ {objectives} }},");
                w.Line($"MaxAge = global::System.TimeSpan.FromSeconds({Number(metric.MaxAgeSeconds)}),");
                break;
        }
    }

    /// <summary>The allowed rank error of a summary quantile: 0.05 in the middle, a tenth of the distance to 0 or 1 near them.</summary>
    internal static double Epsilon(double quantile) => System.Math.Min(0.05, System.Math.Min(quantile, 1 - quantile) / 10);

    /// <summary>Whether the metric finds series at run time: from record labels, for expiry, or for its key patterns (which share the table and its cap).</summary>
    private static bool HasSeriesTable(PluginModel plugin, MetricModel metric) =>
        metric.Dynamic || plugin.Patterns.Any(p => p.MetricName == metric.Name);

    internal static UpdateModel[] StaticUpdates(PluginModel plugin) =>
        plugin.Updates.Where(u => !Metric(plugin, u.MetricName).Dynamic).ToArray();

    internal static MetricModel Metric(PluginModel plugin, string name) => plugin.Metrics.First(m => m.Name == name);

    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture) switch
    {
        string text when text.Contains(".") || text.Contains("E") => text,
        string text => text + ".0",
    };

    private static string LabelsText(MetricModel metric) =>
        metric.LabelNames.Length == 0 ? "" : " by " + string.Join(", ", metric.LabelNames);
}
