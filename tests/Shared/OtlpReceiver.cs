using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// A small OTLP/HTTP metrics receiver for tests (see <see cref="PushReceiver{TPush}"/>): each push gunzipped when it
/// says so and parsed with the classes protoc generates from the specification's own schema
/// (tests/Shared/opentelemetry-proto), independently of the plugin's encoder.
/// </summary>
public sealed class OtlpReceiver() : PushReceiver<ReceivedOtlpPush>(new ReceiverReply(200) { Bytes = new ExportMetricsServiceResponse().ToByteArray(), Headers = [("Content-Type", "application/x-protobuf")] })
{
    public override string Url => $"http://127.0.0.1:{Port}/v1/metrics";

    /// <summary>A 200 whose body is a partial success: <paramref name="rejected"/> data points rejected, with a message.</summary>
    public static ReceiverReply PartialSuccess(long rejected, string message) => new(200)
    {
        Bytes = new ExportMetricsServiceResponse
        {
            PartialSuccess = new ExportMetricsPartialSuccess { RejectedDataPoints = rejected, ErrorMessage = message },
        }.ToByteArray(),
        Headers = [("Content-Type", "application/x-protobuf")],
    };

    protected override ReceivedOtlpPush Decode(TimeSpan at, Dictionary<string, string> headers, byte[] body, ReceiverReply reply)
    {
        byte[] raw = body;
        if (headers.TryGetValue("Content-Encoding", out string? encoding) && encoding == "gzip")
        {
            using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            raw = plain.ToArray();
        }

        return new ReceivedOtlpPush(at, headers, ExportMetricsServiceRequest.Parser.ParseFrom(raw), body.Length, reply);
    }
}

/// <summary>One OTLP push as received: when (on the receiver's clock), its headers, the request, its size on the wire and the answer it got.</summary>
public sealed record ReceivedOtlpPush(TimeSpan At, Dictionary<string, string> Headers, ExportMetricsServiceRequest Request, int WireBytes, ReceiverReply Reply)
{
    public IEnumerable<Metric> Metrics => Request.ResourceMetrics.SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics);

    public Metric Metric(string name) => Metrics.Single(m => m.Name == name);

    public Dictionary<string, string> ResourceAttributes => Request.ResourceMetrics.Single().Resource.Attributes.ToDictionary(a => a.Key, a => a.Value.StringValue);

    /// <summary>
    /// The push read back as the Prometheus series it stands for (a Sum or Gauge as itself, a Histogram as its
    /// cumulative <c>_bucket</c>s, <c>_sum</c> and <c>_count</c>, a Summary as its quantiles, <c>_sum</c> and
    /// <c>_count</c>), keyed as <see cref="PrometheusText.Key"/> writes a series: comparable with a scrape.
    /// </summary>
    public Dictionary<string, double> Values()
    {
        var values = new Dictionary<string, double>();
        foreach (Metric metric in Metrics)
        {
            switch (metric.DataCase)
            {
                case OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Sum:
                    foreach (NumberDataPoint point in metric.Sum.DataPoints)
                    {
                        values[PrometheusText.Key(metric.Name, Labels(point.Attributes))] = point.AsDouble;
                    }

                    break;
                case OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Gauge:
                    foreach (NumberDataPoint point in metric.Gauge.DataPoints)
                    {
                        values[PrometheusText.Key(metric.Name, Labels(point.Attributes))] = point.AsDouble;
                    }

                    break;
                case OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Histogram:
                    foreach (HistogramDataPoint point in metric.Histogram.DataPoints)
                    {
                        (string, string)[] labels = Labels(point.Attributes);
                        ulong cumulative = 0;
                        for (int i = 0; i < point.BucketCounts.Count; i++)
                        {
                            cumulative += point.BucketCounts[i];
                            string le = i < point.ExplicitBounds.Count ? point.ExplicitBounds[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
                            values[PrometheusText.Key(metric.Name + "_bucket", [.. labels, ("le", le)])] = cumulative;
                        }

                        values[PrometheusText.Key(metric.Name + "_sum", labels)] = point.Sum;
                        values[PrometheusText.Key(metric.Name + "_count", labels)] = point.Count;
                    }

                    break;
                case OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Summary:
                    foreach (SummaryDataPoint point in metric.Summary.DataPoints)
                    {
                        (string, string)[] labels = Labels(point.Attributes);
                        foreach (SummaryDataPoint.Types.ValueAtQuantile quantile in point.QuantileValues)
                        {
                            values[PrometheusText.Key(metric.Name, [.. labels, ("quantile", quantile.Quantile.ToString(CultureInfo.InvariantCulture))])] = quantile.Value;
                        }

                        values[PrometheusText.Key(metric.Name + "_sum", labels)] = point.Sum;
                        values[PrometheusText.Key(metric.Name + "_count", labels)] = point.Count;
                    }

                    break;
                default:
                    throw new InvalidOperationException($"{metric.Name}: unexpected data {metric.DataCase}");
            }
        }

        return values;
    }

    /// <summary>Every point's exemplars, with the point's metric name: trace and span ids as lower-case hex.</summary>
    public List<(string Metric, string TraceId, string SpanId, double Value, Exemplar Exemplar)> Exemplars()
    {
        var exemplars = new List<(string, string, string, double, Exemplar)>();
        foreach (Metric metric in Metrics)
        {
            IEnumerable<Exemplar> all = metric.DataCase switch
            {
                OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Sum => metric.Sum.DataPoints.SelectMany(p => p.Exemplars),
                OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.SelectMany(p => p.Exemplars),
                OpenTelemetry.Proto.Metrics.V1.Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.SelectMany(p => p.Exemplars),
                _ => [],
            };
            foreach (Exemplar exemplar in all)
            {
                exemplars.Add((metric.Name, Convert.ToHexStringLower(exemplar.TraceId.ToByteArray()), Convert.ToHexStringLower(exemplar.SpanId.ToByteArray()), exemplar.AsDouble, exemplar));
            }
        }

        return exemplars;
    }

    private static (string, string)[] Labels(IEnumerable<KeyValue> attributes) => [.. attributes.Select(a => (a.Key, a.Value.StringValue))];
}
