using System.ComponentModel;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>How a record value feeds a counter.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CounterValue
{
    /// <summary>
    /// Adds <paramref name="value"/> when it is positive and finite. prometheus-net throws on a negative
    /// increment; a flush must never throw for a value in the data, and a counter never goes down.
    /// </summary>
    public static void Add(ICounter counter, double value)
    {
        if (value > 0 && double.IsFinite(value))
        {
            counter.Inc(value);
        }
    }
}
