using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FluentBit.Plugins.Patterns;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// The keys that shape an instance's metrics: <c>add_labels</c> (constant labels on every metric) and
/// <c>series_expiry</c> (overrides the idle expiry the plugin declares).
/// </summary>
/// <remarks>
/// Lists are one key holding the whole list, because Fluent Bit hands a proxy plugin only the first value of
/// a key given twice. Checked in Fluent Bit v5.1.1 (commit d55459d49, src/): every occurrence of a key in an
/// [OUTPUT] section, on the command line (<c>-p</c>) or in a YAML list is stored, in order, by
/// flb_output_set_property (flb_output.c:1197, <c>flb_kv_item_create(&amp;ins-&gt;properties, ...)</c>, which
/// appends: flb_kv.c:57, mk_list_add adds at the tail; flb_config.c:1369-1377 calls it once per YAML array
/// entry). A proxy plugin reads a property through <c>output_get_property</c> = flb_output_get_property
/// (flb_output.c:1248-1251) → flb_config_prop_get (flb_config.c:775-778) → flb_kv_get_key_value
/// (flb_kv.c:135-162), which returns the value of the first key that matches case-insensitively. So with
/// <c>add_label a=1</c> then <c>add_label b=2</c> the plugin sees only <c>a=1</c>, and cannot see the other:
/// native plugins get every value through their config map (FLB_CONFIG_MAP_MULT), which a proxy plugin does
/// not have.
/// </remarks>
internal sealed class MetricsConfig
{

    /// <summary>No added labels, no expiry override.</summary>
    public static readonly MetricsConfig Empty = new([], false, null, new Dictionary<string, TimeSpan?>(StringComparer.Ordinal), "");

    private const string AddLabelsExpected = "expected name=value pairs separated by commas, such as env=prod,dc=eu1";
    private const string SeriesExpiryExpected =
        "expected a duration (30s, 10m, 1h, 2d) or off, for every metric with dynamic labels, and/or metric_name=duration entries, such as 10m,http_requests_total=off";

    private static readonly Dictionary<string, string> ReservedLabels = new(StringComparer.Ordinal)
    {
        [PluginDefaults.BucketLabel] = "histograms name their buckets with it",
        [PluginDefaults.QuantileLabel] = "summaries name their quantiles with it",
    };

    private MetricsConfig(KeyValuePair<string, string>[] addLabels, bool hasDefaultExpiry, TimeSpan? defaultExpiry, Dictionary<string, TimeSpan?> expiryByMetric, string rawAddLabels)
    {
        AddLabels = addLabels;
        HasDefaultExpiry = hasDefaultExpiry;
        DefaultExpiry = defaultExpiry;
        ExpiryByMetric = expiryByMetric;
        RawAddLabels = rawAddLabels;
    }

    /// <summary>The constant labels added to every metric, in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AddLabels { get; }

    /// <summary>Whether <c>series_expiry</c> gives a duration (or off) for every metric with dynamic labels.</summary>
    public bool HasDefaultExpiry { get; }

    /// <summary>That duration; null is off.</summary>
    public TimeSpan? DefaultExpiry { get; }

    /// <summary>Per-metric expiries (null: off), overriding <see cref="DefaultExpiry"/> and the declaration.</summary>
    public IReadOnlyDictionary<string, TimeSpan?> ExpiryByMetric { get; }

    /// <summary>The <c>add_labels</c> value as given, for messages.</summary>
    public string RawAddLabels { get; }

    /// <exception cref="PluginConfigException">A value is invalid.</exception>
    public static MetricsConfig Read(IPropertySource properties, string pluginName)
    {
        string? addLabels = properties.Get(ConfigKeys.AddLabels);
        string? seriesExpiry = properties.Get(ConfigKeys.SeriesExpiry);
        var expiryByMetric = new Dictionary<string, TimeSpan?>(StringComparer.Ordinal);
        bool hasDefaultExpiry = false;
        TimeSpan? defaultExpiry = null;
        if (seriesExpiry is not null)
        {
            hasDefaultExpiry = ParseSeriesExpiry(seriesExpiry, expiryByMetric, out defaultExpiry);
        }

        return new MetricsConfig(addLabels is null ? [] : ParseAddLabels(addLabels), hasDefaultExpiry, defaultExpiry, expiryByMetric, addLabels ?? "");
    }

    /// <summary>The error for an <c>add_labels</c> value; public so the check against the plugin's own labels says the same.</summary>
    public static PluginConfigException InvalidAddLabels(string value, string what) =>
        new($"invalid value '{value}' for {ConfigKeys.AddLabels}: {what}; {AddLabelsExpected}");

    private static KeyValuePair<string, string>[] ParseAddLabels(string value)
    {
        var labels = new List<KeyValuePair<string, string>>();
        foreach ((string name, string labelValue) in NameValueList.Split(value, what => InvalidAddLabels(value, what)))
        {
            if (!KeyPatternSyntax.IsLabelName(name))
            {
                throw InvalidAddLabels(value, $"'{name}' is not a label name (letters, digits and '_', not starting with a digit or '__')");
            }

            if (ReservedLabels.TryGetValue(name, out string? why))
            {
                throw InvalidAddLabels(value, $"the label name '{name}' is reserved: {why}");
            }

            if (labels.Any(l => l.Key == name))
            {
                throw InvalidAddLabels(value, $"the label '{name}' is given twice");
            }

            if (labelValue.Length == 0)
            {
                throw InvalidAddLabels(value, $"the label '{name}' has an empty value, which Prometheus reads as no label");
            }

            labels.Add(new KeyValuePair<string, string>(name, labelValue));
        }

        return labels.ToArray();
    }

    /// <returns>Whether an entry without a metric name gives the expiry of every metric.</returns>
    private static bool ParseSeriesExpiry(string value, Dictionary<string, TimeSpan?> expiryByMetric, out TimeSpan? defaultExpiry)
    {
        bool hasDefault = false;
        defaultExpiry = null;
        foreach (string entry in value.Split(','))
        {
            string trimmed = entry.Trim();
            int eq = trimmed.IndexOf('=');
            string duration = eq < 0 ? trimmed : trimmed[(eq + 1)..].Trim();
            if (!Durations.TryParseOrOff(duration, out TimeSpan? expiry))
            {
                throw InvalidSeriesExpiry(value, trimmed.Length == 0 ? "an entry is empty" : $"'{duration}' is not a duration");
            }

            if (eq < 0)
            {
                if (hasDefault)
                {
                    throw InvalidSeriesExpiry(value, "it gives two durations for every metric");
                }

                hasDefault = true;
                defaultExpiry = expiry;
                continue;
            }

            string metric = trimmed[..eq].Trim();
            if (metric.Length == 0)
            {
                throw InvalidSeriesExpiry(value, $"'{trimmed}' names no metric");
            }

            if (!expiryByMetric.TryAdd(metric, expiry))
            {
                throw InvalidSeriesExpiry(value, $"the metric '{metric}' is given twice");
            }
        }

        return hasDefault;
    }

    private static PluginConfigException InvalidSeriesExpiry(string value, string what) =>
        new($"invalid value '{value}' for {ConfigKeys.SeriesExpiry}: {what}; {SeriesExpiryExpected}");
}
