using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FluentBit.Plugins.Generator.Diagnostics;
using FluentBit.Plugins.Generator.Model;
using FluentBit.Plugins.Patterns;
using Microsoft.CodeAnalysis;

namespace FluentBit.Plugins.Generator.Parsing;

/// <summary>The metrics: each attribute read into a declaration, the declarations of one metric reconciled, and the updates a record makes.</summary>
internal sealed partial class PluginParser
{
    /// <summary>Prometheus' default buckets, as client libraries use them.</summary>
    private static readonly double[] DefaultBuckets = [.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10];

    /// <summary>Metrics on the record class: record counters and metrics fed by key patterns.</summary>
    private void ParseClassMetrics(INamedTypeSymbol record)
    {
        foreach (AttributeData attribute in record.GetAttributes())
        {
            MetricKind? kind = MetricKindOf(attribute);
            if (kind is null)
            {
                continue;
            }

            LocationInfo? location = LocationInfo.From(attribute.ApplicationSyntaxReference);
            MetricDeclaration? declaration = ReadDeclaration(attribute, kind.Value, location);
            if (declaration is null)
            {
                continue;
            }

            if (KnownSymbols.Is(attribute, _known.RecordCounter))
            {
                if (declaration.Pattern is not null)
                {
                    Report(DiagnosticDescriptors.ConflictingAttributes, location, $"Record counter '{declaration.Name}'", "it counts records, so it takes no KeyPattern; use [Counter(..., KeyPattern = ...)] to add matching keys' values");
                    continue;
                }

                _declarations.Add(declaration);
                continue;
            }

            if (declaration.Pattern is null)
            {
                Report(DiagnosticDescriptors.MissingKeyPattern, location, declaration.Name);
                continue;
            }

            if (declaration.RecordLabels.Count > 0)
            {
                Report(DiagnosticDescriptors.ConflictingAttributes, location, $"Metric '{declaration.Name}'", "a key pattern's labels come from the key; remove Labels or capture them in the pattern");
                continue;
            }

            KeyPatternSyntax? syntax = KeyPatternSyntax.Parse(declaration.Pattern, out string error);
            if (syntax is null)
            {
                Report(DiagnosticDescriptors.InvalidKeyPattern, location, declaration.Pattern, declaration.Name, error);
                continue;
            }

            declaration.LabelNames.AddRange(syntax.Labels);
            _declarations.Add(declaration);
        }
    }

    /// <summary>Reads one metric attribute; null (reported) when its name or options are invalid.</summary>
    private MetricDeclaration? ReadDeclaration(AttributeData attribute, MetricKind kind, LocationInfo? location)
    {
        string name = StringArgument(attribute, 0);
        if (!CheckMetricName(name, location))
        {
            return null;
        }

        var declaration = new MetricDeclaration(name, StringArgument(attribute, 1), kind, location)
        {
            Pattern = NamedArgument(attribute, "KeyPattern") is string { Length: > 0 } pattern ? pattern : null,
            MaxSeries = NamedArgument(attribute, "MaxSeries") is int max ? max : PluginDefaults.MaxSeries,
            Overflow = NamedArgument(attribute, "Overflow") is int overflow ? (SeriesOverflow)overflow : SeriesOverflow.Drop,
            ExpireAfterSeconds = NamedArgument(attribute, "ExpireAfterSeconds") is double expire ? expire : 0,
            MaxAgeSeconds = NamedArgument(attribute, "MaxAgeSeconds") is double age ? age : PluginDefaults.SummaryMaxAgeSeconds,
            Action = NamedArgument(attribute, "Action") is int action ? (GaugeAction)action : GaugeAction.Set,
            Quantiles = DoublesArgument(attribute, "Quantiles"),
        };

        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            Report(DiagnosticDescriptors.CounterNameSuffix, location, name);
        }

        bool valid = true;
        foreach (string label in StringsArgument(attribute, "Labels"))
        {
            if (!CheckLabelName(label, location))
            {
                valid = false;
            }
            else if (declaration.RecordLabels.Contains(label))
            {
                Report(DiagnosticDescriptors.DuplicateLabel, location, label, name);
                valid = false;
            }
            else
            {
                declaration.RecordLabels.Add(label);
                declaration.LabelNames.Add(label);
            }
        }

        if (declaration.MaxSeries < 1)
        {
            Report(DiagnosticDescriptors.InvalidMetricOption, location, name, $"MaxSeries is {declaration.MaxSeries}; it must be at least 1");
            valid = false;
        }

        if (declaration.ExpireAfterSeconds < 0 || double.IsNaN(declaration.ExpireAfterSeconds) || double.IsInfinity(declaration.ExpireAfterSeconds))
        {
            Report(DiagnosticDescriptors.InvalidMetricOption, location, name, "ExpireAfterSeconds must be 0 (never) or a positive number of seconds");
            valid = false;
        }

        if (kind == MetricKind.Summary && !(declaration.MaxAgeSeconds >= 1 && !double.IsInfinity(declaration.MaxAgeSeconds)))
        {
            Report(DiagnosticDescriptors.InvalidMetricOption, location, name, "MaxAgeSeconds must be at least 1 second");
            valid = false;
        }

        foreach (double quantile in declaration.Quantiles.Where(q => !(q > 0 && q < 1)))
        {
            Report(DiagnosticDescriptors.InvalidQuantile, location, name, quantile.ToString("R", CultureInfo.InvariantCulture));
            valid = false;
        }

        if (kind == MetricKind.Histogram)
        {
            List<double>? buckets = ReadBuckets(attribute, name, location);
            valid &= buckets is not null;
            declaration.Buckets = buckets ?? new List<double>();
        }

        string? reserved = kind switch
        {
            MetricKind.Histogram => PluginDefaults.BucketLabel,
            MetricKind.Summary => PluginDefaults.QuantileLabel,
            MetricKind.Gauge or MetricKind.Counter => null,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        if (reserved is not null && declaration.RecordLabels.Contains(reserved))
        {
            Report(DiagnosticDescriptors.ReservedLabel, location, reserved, kind.Name(), reserved == PluginDefaults.BucketLabel ? "bucket bounds" : "quantiles");
            valid = false;
        }

        return valid ? declaration : null;
    }

    /// <summary>The declared buckets, computed from a linear or exponential spec if given; empty means the defaults.</summary>
    private List<double>? ReadBuckets(AttributeData attribute, string name, LocationInfo? location)
    {
        List<double> plain = DoublesArgument(attribute, "Buckets");
        List<double> linear = DoublesArgument(attribute, "LinearBuckets");
        List<double> exponential = DoublesArgument(attribute, "ExponentialBuckets");
        if ((plain.Count > 0 ? 1 : 0) + (linear.Count > 0 ? 1 : 0) + (exponential.Count > 0 ? 1 : 0) > 1)
        {
            return BucketError(name, location, "give only one of Buckets, LinearBuckets and ExponentialBuckets");
        }

        List<double> buckets = plain;
        if (linear.Count > 0 || exponential.Count > 0)
        {
            bool isLinear = linear.Count > 0;
            List<double> spec = isLinear ? linear : exponential;
            string form = isLinear ? "LinearBuckets = [start, width, count]" : "ExponentialBuckets = [start, factor, count]";
            if (spec.Count != 3 || spec[2] < 1 || spec[2] != Math.Floor(spec[2]) || spec[2] > 1000)
            {
                return BucketError(name, location, $"{form} needs three numbers, count a whole number from 1 to 1000");
            }

            if (isLinear ? !(spec[1] > 0) : !(spec[0] > 0 && spec[1] > 1))
            {
                return BucketError(name, location, isLinear ? "LinearBuckets needs a width above 0" : "ExponentialBuckets needs a start above 0 and a factor above 1");
            }

            buckets = Enumerable.Range(0, (int)spec[2]).Select(i => isLinear ? spec[0] + (i * spec[1]) : spec[0] * Math.Pow(spec[1], i)).ToList();
        }

        for (int i = 0; i < buckets.Count; i++)
        {
            if (double.IsNaN(buckets[i]) || double.IsInfinity(buckets[i]))
            {
                return BucketError(name, location, "bounds must be finite (+Inf is always added)");
            }

            if (i > 0 && !(buckets[i] > buckets[i - 1]))
            {
                return BucketError(name, location, $"bounds must be strictly increasing, but {Format(buckets[i])} follows {Format(buckets[i - 1])}");
            }
        }

        return buckets.Count == 0 ? DefaultBuckets.ToList() : buckets;
    }

    private List<double>? BucketError(string name, LocationInfo? location, string message)
    {
        Report(DiagnosticDescriptors.InvalidBuckets, location, name, message);
        return null;
    }

    /// <summary>Checks that every declaration of a metric agrees with the first one, which fixes the label order.</summary>
    private List<MetricModel> ReconcileMetrics(List<ParsedField> fields, List<ConstantLabel> classLabels)
    {
        var metrics = new List<MetricModel>();
        HashSet<string> recordLabels = new(fields.Where(f => f.RecordLabel is not null).Select(f => f.RecordLabel!), StringComparer.Ordinal);
        foreach (IGrouping<string, MetricDeclaration> group in _declarations.GroupBy(d => d.Name))
        {
            MetricDeclaration first = group.First();
            string help = group.Select(d => d.Help).FirstOrDefault(h => h.Length > 0) ?? "";
            foreach (MetricDeclaration other in group.Skip(1))
            {
                if (other.Kind != first.Kind)
                {
                    Report(DiagnosticDescriptors.MetricKindConflict, other.Location, other.Name, other.Kind.Name(), first.Kind.Name());
                }
                else if (!new HashSet<string>(other.LabelNames).SetEquals(first.LabelNames) || other.LabelNames.Count != first.LabelNames.Count)
                {
                    Report(DiagnosticDescriptors.MetricLabelConflict, other.Location, other.Name, string.Join(", ", other.LabelNames), string.Join(", ", first.LabelNames));
                }

                if (other.Help.Length > 0 && other.Help != help)
                {
                    Report(DiagnosticDescriptors.HelpConflict, other.Location, other.Name, other.Help, help);
                }
            }

            foreach (MetricDeclaration declaration in group)
            {
                foreach (string missing in declaration.RecordLabels.Where(l => !recordLabels.Contains(l)))
                {
                    Report(DiagnosticDescriptors.UnknownLabel, declaration.Location, declaration.Name, missing);
                }

                foreach (KeyValuePair<string, string> constant in declaration.ConstantLabels.Where(c => declaration.RecordLabels.Contains(c.Key)))
                {
                    Report(DiagnosticDescriptors.ConflictingAttributes, declaration.Location, $"Metric '{declaration.Name}'", $"the label '{constant.Key}' is both constant (\"{constant.Value}\") and in Labels; keep one");
                }

                foreach (ConstantLabel classLabel in classLabels.Where(c => declaration.LabelNames.Contains(c.Name)))
                {
                    Report(DiagnosticDescriptors.ConflictingAttributes, declaration.Location, $"Metric '{declaration.Name}'", $"the label '{classLabel.Name}' is also a constant label of every metric (on the record class); rename one of them");
                }
            }

            List<double> buckets = Agreed(group, d => d.Kind == MetricKind.Histogram && !d.Buckets.SequenceEqual(DefaultBuckets) ? d.Buckets : null, "Buckets", b => string.Join(", ", b.Select(Format)))
                ?? (first.Kind == MetricKind.Histogram ? DefaultBuckets.ToList() : new List<double>());
            List<double> quantiles = Agreed(group, d => d.Quantiles.Count > 0 ? d.Quantiles : null, "Quantiles", q => string.Join(", ", q.Select(Format))) ?? new List<double>();
            double maxAge = Agreed(group, d => d.MaxAgeSeconds != PluginDefaults.SummaryMaxAgeSeconds ? d.MaxAgeSeconds : (double?)null, "MaxAgeSeconds", Format) ?? PluginDefaults.SummaryMaxAgeSeconds;
            int maxSeries = Agreed(group, d => d.MaxSeries != PluginDefaults.MaxSeries ? d.MaxSeries : (int?)null, "MaxSeries", m => m.ToString(CultureInfo.InvariantCulture)) ?? PluginDefaults.MaxSeries;
            SeriesOverflow overflow = Agreed(group, d => d.Overflow != SeriesOverflow.Drop ? d.Overflow : (SeriesOverflow?)null, "Overflow", o => o.ToString()) ?? SeriesOverflow.Drop;
            double expire = Agreed(group, d => d.ExpireAfterSeconds != 0 ? d.ExpireAfterSeconds : (double?)null, "ExpireAfterSeconds", Format) ?? 0;
            bool dynamic = expire > 0 || group.Any(d => d.RecordLabels.Count > 0);
            metrics.Add(new MetricModel(first.Name, help, first.Kind, first.LabelNames.ToEquatableArray(), buckets.ToEquatableArray(), quantiles.ToEquatableArray(), maxAge, maxSeries, overflow, expire, dynamic));
        }

        return metrics;
    }

    /// <summary>The one value the declarations that set an option give it; two different values are FBP028.</summary>
    private T? Agreed<T>(IGrouping<string, MetricDeclaration> group, Func<MetricDeclaration, T?> option, string optionName, Func<T, string> format)
        where T : class =>
        AgreedText<T>(group, d => option(d) is { } value ? (value, format(value)) : null, optionName)?.Value;

    private T? Agreed<T>(IGrouping<string, MetricDeclaration> group, Func<MetricDeclaration, T?> option, string optionName, Func<T, string> format)
        where T : struct =>
        AgreedText<T>(group, d => option(d) is { } value ? (value, format(value)) : null, optionName)?.Value;

    private (T Value, string Text)? AgreedText<T>(IGrouping<string, MetricDeclaration> group, Func<MetricDeclaration, (T Value, string Text)?> option, string optionName)
    {
        (T Value, string Text)? agreed = null;
        foreach (MetricDeclaration declaration in group)
        {
            if (option(declaration) is not { } value)
            {
                continue;
            }

            if (agreed is null)
            {
                agreed = value;
            }
            else if (value.Text != agreed.Value.Text)
            {
                Report(DiagnosticDescriptors.ConflictingAttributes, declaration.Location, $"Metric '{declaration.Name}'", $"{optionName} is {value.Text} here and {agreed.Value.Text} elsewhere; set it once or make them agree");
            }
        }

        return agreed;
    }

    /// <summary>One update per declaration fed by a property or by each record, its label sources in the metric's label order.</summary>
    private List<UpdateModel> BuildUpdates(List<ParsedField> fields, List<MetricModel> metrics)
    {
        Dictionary<string, MetricModel> byName = metrics.ToDictionary(m => m.Name, StringComparer.Ordinal);
        Dictionary<string, string> labelProperties = fields.Where(f => f.RecordLabel is not null).ToDictionary(f => f.RecordLabel!, f => f.PropertyName, StringComparer.Ordinal);
        var updates = new List<UpdateModel>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var declared = new HashSet<UpdateModel>();
        foreach (MetricDeclaration declaration in _declarations.Where(d => d.Pattern is null))
        {
            MetricModel metric = byName[declaration.Name];
            var labels = new List<LabelSource>();
            foreach (string label in metric.LabelNames)
            {
                string? constant = declaration.ConstantLabels.FirstOrDefault(c => c.Key == label).Value;
                labels.Add(constant is not null ? new LabelSource(constant, null) : new LabelSource(null, labelProperties[label]));
            }

            string identity = metric.Name + "{" + string.Join(",", metric.LabelNames.Select((n, i) => labels[i].Constant is { } c ? $"{n}=\"{c}\"" : $"{n}=<{labels[i].Property}>")) + "}";
            string feeder = declaration.ValueProperty ?? "each record";

            // Only a gauge that is set cannot take two sources: adds, subtracts, counts and observations combine.
            bool exclusive = metric.Kind == MetricKind.Gauge && declaration.Action == GaugeAction.Set;
            if (exclusive && seen.TryGetValue(identity, out string? other))
            {
                Report(DiagnosticDescriptors.DuplicateSeries, declaration.Location, other, feeder, identity);
            }

            seen[identity] = feeder;
            var update = new UpdateModel(metric.Name, declaration.ValueProperty, declaration.Action, labels.ToEquatableArray());
            if (!declared.Add(update))
            {
                // The same attribute twice: every record would count twice, and the generated members would clash.
                Report(DiagnosticDescriptors.DuplicateDeclaration, declaration.Location, feeder == "each record" ? "The record class" : $"Property '{feeder}'", metric.LabelNames.Length == 0 ? metric.Name : identity, AttributeText(declaration));
                continue;
            }

            updates.Add(update);
        }

        return updates;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The attribute as the user wrote it, e.g. <c>Counter("c_total")</c> (on the record class only [RecordCounter] has no pattern).</summary>
    private static string AttributeText(MetricDeclaration declaration)
    {
        string kind = declaration.Kind.Name();
        string attribute = declaration.ValueProperty is null ? "RecordCounter" : char.ToUpperInvariant(kind[0]) + kind.Substring(1);
        return $"{attribute}(\"{declaration.Name}\")";
    }
}
