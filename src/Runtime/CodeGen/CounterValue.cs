using System.ComponentModel;
using Prometheus;

namespace FluentBit.Plugins.CodeGen;

/// <summary>How a record value feeds a counter (what generated code called before <see cref="MetricValue"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CounterValue
{
    /// <summary>Adds <paramref name="value"/> when it is positive and finite; see <see cref="MetricValue.TryAdd"/>.</summary>
    public static void Add(ICounter counter, double value) => MetricValue.TryAdd(counter, value);
}
