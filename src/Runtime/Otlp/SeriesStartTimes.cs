using System;
using System.Collections.Generic;

namespace FluentBit.Plugins.Otlp;

/// <summary>
/// The start time of each cumulative series (counters, histograms, summaries) across pushes, which OTLP sends with every
/// point and Prometheus's text format does not carry. A series seen in the first snapshot started when the instance
/// started; one seen first later, or whose cumulative value went down since the last snapshot (it restarted: expired
/// and came back, or was reset), started after the last snapshot, so it gets that snapshot's time. Only the series of
/// the last snapshot are kept: the table is as large as the exposition, however many series expire over time.
/// </summary>
internal sealed class SeriesStartTimes(ulong instanceStartNanos)
{
    // Values are classes, not tuples: under NativeAOT every value-type instantiation of Dictionary is compiled again.
    private Dictionary<string, Seen> _previous = new(StringComparer.Ordinal);
    private Dictionary<string, Seen> _current = new(StringComparer.Ordinal);
    private ulong? _previousSnapshotNanos;

    /// <summary>The start of <paramref name="series"/>, whose cumulative value (a counter's value, a histogram's count) is <paramref name="cumulative"/> now.</summary>
    public ulong StartOf(string series, double cumulative)
    {
        ulong start;
        if (!_previous.TryGetValue(series, out Seen? seen))
        {
            start = _previousSnapshotNanos ?? instanceStartNanos;
        }
        else
        {
            start = cumulative < seen.Last ? _previousSnapshotNanos!.Value : seen.Start;
        }

        _current[series] = new Seen(start, cumulative);
        return start;
    }

    /// <summary>Ends a snapshot taken at <paramref name="timeNanos"/>: its series are the ones the next compares with.</summary>
    public void EndSnapshot(ulong timeNanos)
    {
        (_previous, _current) = (_current, _previous);
        _current.Clear();
        _previousSnapshotNanos = timeNanos;
    }

    private sealed class Seen(ulong start, double last)
    {
        public ulong Start { get; } = start;

        public double Last { get; } = last;
    }
}
