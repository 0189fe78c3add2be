using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using FluentBit.Plugins.Configuration;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// What an instance's configuration changes in its metrics, handed to the generated <c>CreateInstruments</c>:
/// the idle expiry of each metric with dynamic labels (<c>series_expiry</c>), and one
/// <see cref="MetricHealth"/> per metric, where the instance's skips and overflows are counted.
/// (<c>add_labels</c> is applied to the registry before <c>CreateInstruments</c> runs.)
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MetricOptions
{
    private readonly MetricsConfig _config;
    private readonly Dictionary<string, MetricHealth> _health = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expiring = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Options with nothing configured: every metric keeps its declared expiry.</summary>
    public MetricOptions()
        : this(MetricsConfig.Empty)
    {
    }

    internal MetricOptions(MetricsConfig config)
    {
        _config = config;
    }

    /// <summary>
    /// The idle expiry of the dynamic series of <paramref name="metricName"/>: the metric's own
    /// <c>series_expiry</c> entry, else the duration given for every metric, else <paramref name="declared"/>.
    /// Null means the series never expire.
    /// </summary>
    public TimeSpan? IdleExpiry(string metricName, TimeSpan? declared)
    {
        lock (_gate)
        {
            _expiring.Add(metricName);
        }

        if (_config.ExpiryByMetric.TryGetValue(metricName, out TimeSpan? configured))
        {
            return configured;
        }

        return _config.HasDefaultExpiry ? _config.DefaultExpiry : declared;
    }

    /// <summary>The health of <paramref name="metricName"/> in this instance, created on first request; one object per metric.</summary>
    public MetricHealth Health(string metricName)
    {
        lock (_gate)
        {
            if (!_health.TryGetValue(metricName, out MetricHealth? health))
            {
                _health[metricName] = health = new MetricHealth(metricName);
            }

            return health;
        }
    }

    /// <summary>Every metric's health, in the order they were first requested.</summary>
    internal IReadOnlyList<MetricHealth> Healths
    {
        get
        {
            lock (_gate)
            {
                return [.. _health.Values];
            }
        }
    }

    /// <summary>
    /// Checks that no <c>add_labels</c> name is already one of <paramref name="labelNames"/> (the plugin's, as the
    /// generator listed them), applies <c>add_labels</c> to <paramref name="registry"/>, creates the instruments, and
    /// checks what only the created metrics can tell: that every metric <c>series_expiry</c> names has dynamic labels.
    /// </summary>
    /// <exception cref="PluginConfigException">Either check fails.</exception>
    internal TInstruments CreateInstruments<TInstruments>(
        CollectorRegistry registry, string pluginName, IReadOnlyList<string> labelNames, Func<CollectorRegistry, MetricOptions, TInstruments> create)
    {
        string[] clashing = _config.AddLabels.Select(l => l.Key).Where(labelNames.Contains).ToArray();
        if (clashing.Length > 0)
        {
            throw MetricsConfig.InvalidAddLabels(
                _config.RawAddLabels,
                $"{string.Join(", ", clashing.Select(n => $"'{n}'"))} {(clashing.Length == 1 ? "is already a label" : "are already labels")} of {pluginName}'s metrics; choose another name");
        }

        if (_config.AddLabels.Count > 0)
        {
            registry.SetStaticLabels(_config.AddLabels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal));
        }

        TInstruments instruments = create(registry, this);
        CheckSeriesExpiryNames(pluginName);
        return instruments;
    }

    private void CheckSeriesExpiryNames(string pluginName)
    {
        string[] expiring;
        lock (_gate)
        {
            expiring = [.. _expiring.Order(StringComparer.Ordinal)];
        }

        string? unknown = _config.ExpiryByMetric.Keys.FirstOrDefault(name => !expiring.Contains(name));
        bool configured = unknown is not null || _config.HasDefaultExpiry;
        if (expiring.Length == 0 && configured)
        {
            throw new PluginConfigException($"{ConfigKeys.SeriesExpiry} is set, but {pluginName} has no metric with dynamic labels, whose series could expire");
        }

        if (unknown is not null)
        {
            throw new PluginConfigException(
                $"{ConfigKeys.SeriesExpiry} names '{unknown}', which is not a metric of {pluginName} with dynamic labels; those are: {string.Join(", ", expiring)}");
        }
    }
}
