using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using FluentBit.Plugins.SelfMetrics;
using Prometheus;

namespace FluentBit.Plugins.Exposition;

/// <summary>
/// The body of a <c>/metrics</c> response, written by prometheus-net's own serializer: the plugin's registry,
/// then (unless switched off) the instance's self-metrics registry. Bodies are written into buffers kept across
/// scrapes (<see cref="Buffers"/>): a new one per scrape would put large-object-heap allocations, and the full
/// collections they start, next to the flushes.
/// </summary>
internal sealed class MetricsExposition(CollectorRegistry registry, PluginSelfMetrics selfMetrics)
{
    private static readonly byte[] OpenMetricsEnd = "# EOF\n"u8.ToArray();

    /// <summary>Where bodies are rented from; the caller returns each once it is sent.</summary>
    public ExpositionBuffers Buffers { get; } = new();

    public async Task<MemoryStream> SerializeAsync(ExpositionFormat format, CancellationToken cancellation)
    {
        MemoryStream body = Buffers.Rent();
        await registry.CollectAndExportAsTextAsync(body, format, cancellation).ConfigureAwait(false);
        if (selfMetrics.Served)
        {
            CountSeriesAndOpenTheEnd(body, format);
            await selfMetrics.Registry.CollectAndExportAsTextAsync(body, format, cancellation).ConfigureAwait(false);
        }

        return body;
    }

    private void CountSeriesAndOpenTheEnd(MemoryStream body, ExpositionFormat format)
    {
        bool openMetrics = format == ExpositionFormat.OpenMetricsText;
        ReadOnlySpan<byte> plugin = body.GetBuffer().AsSpan(0, (int)body.Length);
        foreach ((string metric, int series) in ExpositionParser.CountSeries(plugin, openMetrics))
        {
            selfMetrics.SetSeries(metric, series);
        }

        if (openMetrics)
        {
            // An OpenMetrics document ends once: the self-metrics' terminator ends both registries.
            if (!plugin.EndsWith(OpenMetricsEnd))
            {
                throw new InvalidOperationException("prometheus-net's OpenMetrics output did not end with '# EOF'");
            }

            body.SetLength(body.Length - OpenMetricsEnd.Length);
        }
    }
}
