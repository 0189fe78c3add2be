using System.Collections.Generic;
using System.Linq;

namespace FluentBit.Plugins.TestKit;

/// <summary>An exemplar as OpenMetrics serves it: <c># {trace_id="4bf9..."} 0.042 1733400000.123</c> after a sample.</summary>
public sealed class MetricExemplar
{
    /// <summary>An exemplar.</summary>
    /// <param name="labels">Its labels, in exposition order.</param>
    /// <param name="value">The value it was recorded with.</param>
    /// <param name="timestamp">When, in seconds since the Unix epoch.</param>
    public MetricExemplar(IReadOnlyList<KeyValuePair<string, string>> labels, double value, double? timestamp)
    {
        Labels = labels;
        Value = value;
        Timestamp = timestamp;
    }

    /// <summary>Its labels, such as <c>trace_id</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }

    /// <summary>The value of the observation or increment it was recorded with.</summary>
    public double Value { get; }

    /// <summary>When it was recorded, in seconds since the Unix epoch.</summary>
    public double? Timestamp { get; }

    /// <summary>The value of label <paramref name="name"/>, or null.</summary>
    public string? Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value;

    /// <summary>The exemplar as OpenMetrics writes it.</summary>
    public override string ToString() =>
        "# {" + string.Join(",", Labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "} " + Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
