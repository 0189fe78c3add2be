using System.ComponentModel;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// Applies a record's value to a series, refusing (with false, so the caller counts
/// <see cref="SkipReason.InvalidValue"/>) a value the metric cannot take rather than letting prometheus-net
/// throw or a NaN poison a series. A flush must never throw for a value in the data.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class MetricValue
{
    /// <summary>Adds a positive finite value; 0 is accepted and changes nothing; negative and non-finite values are refused (a counter never goes down).</summary>
    public static bool TryAdd(ICounter counter, double value)
    {
        if (value > 0 && double.IsFinite(value))
        {
            counter.Inc(value);
            return true;
        }

        return value == 0;
    }

    /// <summary>Sets a finite value.</summary>
    public static bool TrySet(IGauge gauge, double value)
    {
        if (double.IsFinite(value))
        {
            gauge.Set(value);
            return true;
        }

        return false;
    }

    /// <summary>Adds a finite value (which may be negative).</summary>
    public static bool TryIncrement(IGauge gauge, double value)
    {
        if (double.IsFinite(value))
        {
            gauge.Inc(value);
            return true;
        }

        return false;
    }

    /// <summary>Subtracts a finite value (which may be negative).</summary>
    public static bool TryDecrement(IGauge gauge, double value)
    {
        if (double.IsFinite(value))
        {
            gauge.Dec(value);
            return true;
        }

        return false;
    }

    /// <summary>Observes a finite value.</summary>
    public static bool TryObserve(IHistogram histogram, double value)
    {
        if (double.IsFinite(value))
        {
            histogram.Observe(value);
            return true;
        }

        return false;
    }

    /// <summary>Observes a finite value.</summary>
    public static bool TryObserve(ISummary summary, double value)
    {
        if (double.IsFinite(value))
        {
            summary.Observe(value);
            return true;
        }

        return false;
    }

    /// <summary>Adds a positive finite value, with the record's exemplar when the series' gate lets one through.</summary>
    public static bool TryAdd(ICounter counter, double value, in RecordExemplar exemplar, ExemplarGate? gate, MetricHealth health)
    {
        if (value > 0 && double.IsFinite(value))
        {
            counter.Inc(value, exemplar.Offer(gate, health));
            return true;
        }

        return value == 0;
    }

    /// <summary>Observes a finite value, with the record's exemplar when the series' gate lets one through.</summary>
    public static bool TryObserve(IHistogram histogram, double value, in RecordExemplar exemplar, ExemplarGate? gate, MetricHealth health)
    {
        if (double.IsFinite(value))
        {
            histogram.Observe(value, exemplar.Offer(gate, health));
            return true;
        }

        return false;
    }
}
