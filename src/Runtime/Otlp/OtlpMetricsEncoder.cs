using System;
using System.Collections.Generic;
using Google.Protobuf;

namespace FluentBit.Plugins.Otlp;

/// <summary>
/// Encodes metrics as an OTLP <c>ExportMetricsServiceRequest</c> (opentelemetry-proto 1.x: collector/metrics/v1,
/// metrics/v1, resource/v1, common/v1) with Google.Protobuf's <see cref="CodedOutputStream"/>, field by field, as
/// the remote-write encoder does: the classes protoc generates would need protoc at build time
/// (Grpc.Tools) and bring the descriptors of six files and reflection into every plugin's .so, for the 15 messages a
/// push writes; and an object per point where this writes from the mapped metrics into one buffer.
/// Every message is written after its length, which <c>...Size</c> computes from the same data: a message's size is
/// computed once per level it is nested in (six at most), which costs little beside the HTTP round trip.
/// </summary>
internal static class OtlpMetricsEncoder
{
    // metrics.proto AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
    private const int Cumulative = 2;

    /// <summary>The encoded request in <paramref name="buffer"/> (grown when too small); returns its length.</summary>
    public static int Encode(
        IReadOnlyList<KeyValuePair<string, string>> resource, string scopeName, string scopeVersion, List<OtlpMetric> metrics, ref byte[] buffer)
    {
        // ExportMetricsServiceRequest.resource_metrics = 1
        int resourceMetrics = ResourceMetricsSize(resource, scopeName, scopeVersion, metrics);
        int total = Field(1, resourceMetrics);
        if (buffer.Length < total)
        {
            buffer = new byte[Math.Max(total, buffer.Length * 2)];
        }

        var output = new CodedOutputStream(buffer);
        Begin(output, 1, resourceMetrics);

        // ResourceMetrics: resource = 1 (Resource: attributes = 1), scope_metrics = 2
        Begin(output, 1, AttributesSize(1, resource));
        WriteAttributes(output, 1, resource);
        Begin(output, 2, ScopeMetricsSize(scopeName, scopeVersion, metrics));

        // ScopeMetrics: scope = 1 (InstrumentationScope: name = 1, version = 2), metrics = 2
        Begin(output, 1, ScopeSize(scopeName, scopeVersion));
        WriteString(output, 1, scopeName);
        WriteString(output, 2, scopeVersion);
        foreach (OtlpMetric metric in metrics)
        {
            Begin(output, 2, MetricSize(metric));
            WriteMetric(output, metric);
        }

        output.Flush();
        return total;
    }

    private static int ResourceMetricsSize(IReadOnlyList<KeyValuePair<string, string>> resource, string scopeName, string scopeVersion, List<OtlpMetric> metrics) =>
        Field(1, AttributesSize(1, resource)) + Field(1, ScopeMetricsSize(scopeName, scopeVersion, metrics));

    private static int ScopeMetricsSize(string scopeName, string scopeVersion, List<OtlpMetric> metrics)
    {
        int size = Field(1, ScopeSize(scopeName, scopeVersion));
        foreach (OtlpMetric metric in metrics)
        {
            size += Field(1, MetricSize(metric));
        }

        return size;
    }

    private static int ScopeSize(string name, string version) => StringSize(name) + StringSize(version);

    // Metric: name = 1, description = 2, gauge = 5, sum = 7, histogram = 9, summary = 11
    private static int DataField(OtlpDataKind kind) => kind switch
    {
        OtlpDataKind.Gauge => 5,
        OtlpDataKind.MonotonicSum => 7,
        OtlpDataKind.Histogram => 9,
        OtlpDataKind.Summary => 11,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static int MetricSize(OtlpMetric metric) =>
        StringSize(metric.Name) + StringSize(metric.Description) + Field(1, DataSize(metric));

    private static void WriteMetric(CodedOutputStream output, OtlpMetric metric)
    {
        WriteString(output, 1, metric.Name);
        WriteString(output, 2, metric.Description);
        Begin(output, DataField(metric.Kind), DataSize(metric));

        // Gauge, Sum, Histogram, Summary: data_points = 1; Sum and Histogram: aggregation_temporality = 2; Sum: is_monotonic = 3
        foreach (OtlpPoint point in metric.Points)
        {
            Begin(output, 1, PointSize(metric.Kind, point));
            WritePoint(output, metric.Kind, point);
        }

        if (metric.Kind is OtlpDataKind.MonotonicSum or OtlpDataKind.Histogram)
        {
            output.WriteTag(2, WireFormat.WireType.Varint);
            output.WriteEnum(Cumulative);
        }

        if (metric.Kind is OtlpDataKind.MonotonicSum)
        {
            output.WriteTag(3, WireFormat.WireType.Varint);
            output.WriteBool(true);
        }
    }

    private static int DataSize(OtlpMetric metric)
    {
        int size = 0;
        foreach (OtlpPoint point in metric.Points)
        {
            size += Field(1, PointSize(metric.Kind, point));
        }

        size += metric.Kind is OtlpDataKind.MonotonicSum or OtlpDataKind.Histogram ? 1 + CodedOutputStream.ComputeEnumSize(Cumulative) : 0;
        size += metric.Kind is OtlpDataKind.MonotonicSum ? 2 : 0;
        return size;
    }

    // The attributes' field number of each data point: NumberDataPoint 7, HistogramDataPoint 9, SummaryDataPoint 7.
    private static int AttributesField(OtlpDataKind kind) => kind == OtlpDataKind.Histogram ? 9 : 7;

    // NumberDataPoint: start_time_unix_nano = 2, time_unix_nano = 3 (fixed64), as_double = 4, exemplars = 5.
    // HistogramDataPoint: 2, 3, count = 4 (fixed64), sum = 5, bucket_counts = 6 (packed fixed64),
    //   explicit_bounds = 7 (packed double), exemplars = 8.
    // SummaryDataPoint: 2, 3, count = 4, sum = 5, quantile_values = 6 (quantile = 1, value = 2).
    private static int PointSize(OtlpDataKind kind, OtlpPoint point)
    {
        int size = AttributesSize(AttributesField(kind), point.Attributes) + (point.StartTimeNanos != 0 ? 9 : 0) + 9;
        switch (kind)
        {
            case OtlpDataKind.Gauge or OtlpDataKind.MonotonicSum:
                size += 9 + ExemplarsSize(point.Exemplars);
                break;
            case OtlpDataKind.Histogram:
                size += 9 + 9;
                size += point.BucketCounts.Length > 0 ? Field(1, point.BucketCounts.Length * 8) : 0;
                size += point.ExplicitBounds.Length > 0 ? Field(1, point.ExplicitBounds.Length * 8) : 0;
                size += ExemplarsSize(point.Exemplars);
                break;
            case OtlpDataKind.Summary:
                size += 9 + 9 + (point.Quantiles.Length * Field(1, 18));
                break;
        }

        return size;
    }

    private static void WritePoint(CodedOutputStream output, OtlpDataKind kind, OtlpPoint point)
    {
        WriteAttributes(output, AttributesField(kind), point.Attributes);
        if (point.StartTimeNanos != 0)
        {
            output.WriteTag(2, WireFormat.WireType.Fixed64);
            output.WriteFixed64(point.StartTimeNanos);
        }

        output.WriteTag(3, WireFormat.WireType.Fixed64);
        output.WriteFixed64(point.TimeNanos);
        switch (kind)
        {
            case OtlpDataKind.Gauge or OtlpDataKind.MonotonicSum:
                output.WriteTag(4, WireFormat.WireType.Fixed64);
                output.WriteDouble(point.Value);
                WriteExemplars(output, 5, point.Exemplars);
                break;
            case OtlpDataKind.Histogram:
                output.WriteTag(4, WireFormat.WireType.Fixed64);
                output.WriteFixed64(point.Count);
                output.WriteTag(5, WireFormat.WireType.Fixed64);
                output.WriteDouble(point.Sum);
                if (point.BucketCounts.Length > 0)
                {
                    Begin(output, 6, point.BucketCounts.Length * 8);
                    foreach (ulong count in point.BucketCounts)
                    {
                        output.WriteFixed64(count);
                    }
                }

                if (point.ExplicitBounds.Length > 0)
                {
                    Begin(output, 7, point.ExplicitBounds.Length * 8);
                    foreach (double bound in point.ExplicitBounds)
                    {
                        output.WriteDouble(bound);
                    }
                }

                WriteExemplars(output, 8, point.Exemplars);
                break;
            case OtlpDataKind.Summary:
                output.WriteTag(4, WireFormat.WireType.Fixed64);
                output.WriteFixed64(point.Count);
                output.WriteTag(5, WireFormat.WireType.Fixed64);
                output.WriteDouble(point.Sum);
                for (int i = 0; i < point.Quantiles.Length; i++)
                {
                    Begin(output, 6, 18);
                    output.WriteTag(1, WireFormat.WireType.Fixed64);
                    output.WriteDouble(point.Quantiles[i]);
                    output.WriteTag(2, WireFormat.WireType.Fixed64);
                    output.WriteDouble(point.QuantileValues[i]);
                }

                break;
        }
    }

    // Exemplar: filtered_attributes = 7, time_unix_nano = 2 (fixed64), as_double = 3, span_id = 4, trace_id = 5.
    private static int ExemplarsSize(OtlpExemplar[] exemplars)
    {
        int size = 0;
        foreach (OtlpExemplar exemplar in exemplars)
        {
            size += Field(1, ExemplarSize(exemplar));
        }

        return size;
    }

    private static int ExemplarSize(OtlpExemplar exemplar) =>
        AttributesSize(7, exemplar.FilteredAttributes) + 9 + 9 + BytesSize(exemplar.SpanId) + BytesSize(exemplar.TraceId);

    private static void WriteExemplars(CodedOutputStream output, int field, OtlpExemplar[] exemplars)
    {
        foreach (OtlpExemplar exemplar in exemplars)
        {
            Begin(output, field, ExemplarSize(exemplar));
            WriteAttributes(output, 7, exemplar.FilteredAttributes);
            output.WriteTag(2, WireFormat.WireType.Fixed64);
            output.WriteFixed64(exemplar.TimeNanos);
            output.WriteTag(3, WireFormat.WireType.Fixed64);
            output.WriteDouble(exemplar.Value);
            WriteBytes(output, 4, exemplar.SpanId);
            WriteBytes(output, 5, exemplar.TraceId);
        }
    }

    // KeyValue: key = 1, value = 2 (AnyValue: string_value = 1).
    private static int AttributesSize(int field, IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        int size = 0;
        foreach (KeyValuePair<string, string> attribute in attributes)
        {
            size += Field(field, KeyValueSize(attribute));
        }

        return size;
    }

    private static int KeyValueSize(KeyValuePair<string, string> attribute) =>
        1 + CodedOutputStream.ComputeStringSize(attribute.Key) + Field(2, 1 + CodedOutputStream.ComputeStringSize(attribute.Value));

    private static void WriteAttributes(CodedOutputStream output, int field, IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        foreach (KeyValuePair<string, string> attribute in attributes)
        {
            Begin(output, field, KeyValueSize(attribute));
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(attribute.Key);
            Begin(output, 2, 1 + CodedOutputStream.ComputeStringSize(attribute.Value));
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(attribute.Value);
        }
    }

    /// <summary>A length-delimited field of <paramref name="size"/> bytes: its tag, length and body (field numbers here are below 16: a one-byte tag).</summary>
    private static int Field(int field, int size) => CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(size) + size;

    private static void Begin(CodedOutputStream output, int field, int size)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(size);
    }

    // proto3: an empty string or bytes field is not written.
    private static int StringSize(string value) => value.Length == 0 ? 0 : 1 + CodedOutputStream.ComputeStringSize(value);

    private static void WriteString(CodedOutputStream output, int field, string value)
    {
        if (value.Length > 0)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteString(value);
        }
    }

    private static int BytesSize(byte[] value) => value.Length == 0 ? 0 : 1 + CodedOutputStream.ComputeLengthSize(value.Length) + value.Length;

    private static void WriteBytes(CodedOutputStream output, int field, byte[] value)
    {
        if (value.Length > 0)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(value));
        }
    }
}
