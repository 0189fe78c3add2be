using System;
using System.ComponentModel;

namespace FluentBit.Plugins.CodeGen;

/// <summary>What an instance's configuration changes in its metrics' declared options.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MetricOptions
{
    /// <summary>Options that change nothing.</summary>
    public static MetricOptions Default { get; } = new();

    /// <summary>The idle expiry of <paramref name="metricName"/>: the configured one if any, else <paramref name="declared"/>.</summary>
    public TimeSpan? IdleExpiry(string metricName, TimeSpan? declared) => declared;
}
