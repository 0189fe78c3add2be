using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.Testing;
using MessagePack;
using Prometheus;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>
/// The decode-and-apply path of a flush, as PluginRuntime runs it, allocates nothing once every series
/// exists. This is a correctness property (a count of bytes), not a timing.
/// </summary>
public unsafe class AllocationTests
{
    private delegate void ApplyEvent(ref MessagePackReader reader, in EventContext context);

    /// <summary>Decodes a chunk in place and applies each event, as PluginRuntime.Flush does.</summary>
    private static void Flush(byte[] chunk, byte[] tag, ApplyEvent apply)
    {
        fixed (byte* data = chunk)
        {
            var reader = new MessagePackReader(UnmanagedChunk.Wrap(data, (nuint)chunk.Length));
            EventTimestamp flushTime = EventTimestamp.Now();
            while (!reader.End)
            {
                EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
                apply(ref reader, new EventContext(timestamp, tag, metadata, flushTime));
            }
        }
    }

    [Theory]
    [InlineData("burst")]
    [InlineData("cpu")]
    [InlineData("types")]
    public void SteadyStateFlushAllocatesNothing(string set)
    {
        var run = new ProbeRun();
        var record = new ProbeRecord();
        byte[][] chunks = Array.ConvertAll(Vectors.Chunks(set), File.ReadAllBytes);
        byte[] tag = "tag"u8.ToArray();

        ApplyEvent apply = (ref MessagePackReader reader, in EventContext context) => ProbeExporter.ApplyRecord(ref reader, record, run.Instruments, context);
        void FlushAll()
        {
            foreach (byte[] chunk in chunks)
            {
                Flush(chunk, tag, apply);
            }
        }

        Allocations.AssertNone(FlushAll);
    }

    /// <summary>
    /// The collectors a generated plugin would hold for access-log records: dynamic labels from string and
    /// numeric fields, a nested map, a tag part and a metadata field; values from numbers or numeric strings.
    /// </summary>
    private sealed class AccessLogInstruments
    {
        public readonly StringCache Methods = new();
        public readonly StringCache Statuses = new();
        public readonly StringCache Apps = new();
        public readonly MetricHealth RequestsHealth;
        public readonly MetricHealth DurationHealth;
        public readonly LabeledMetric<Counter.Child> Requests;
        public readonly LabeledMetric<Histogram.Child> Duration;
        public readonly Histogram Delay;

        public AccessLogInstruments(CollectorRegistry registry, MetricOptions options)
        {
            IMetricFactory factory = Prometheus.Metrics.WithCustomRegistry(registry);
            RequestsHealth = options.Health("http_requests_total");
            DurationHealth = options.Health("http_request_duration_seconds");
            Requests = new LabeledMetric<Counter.Child>(
                registry,
                factory.CreateCounter("http_requests_total", "Requests", new CounterConfiguration { LabelNames = ["method", "status", "app", "file", "stream"], SuppressInitialValue = true }),
                RequestsHealth,
                new SeriesLimits(idleExpiry: options.IdleExpiry("http_requests_total", TimeSpan.FromMinutes(10))));
            Duration = new LabeledMetric<Histogram.Child>(
                registry,
                factory.CreateHistogram("http_request_duration_seconds", "Duration", new HistogramConfiguration { LabelNames = ["method"], SuppressInitialValue = true }),
                DurationHealth,
                new SeriesLimits(overflow: SeriesOverflow.FoldIntoOther));
            Delay = factory.CreateHistogram("event_delay_seconds", "Delay");
        }
    }

    private static void ApplyAccessLog(ref MessagePackReader reader, AccessLogInstruments instruments, in EventContext context)
    {
        if (!ChunkReader.TryReadBodyMapHeader(ref reader, out int count))
        {
            return;
        }

        string? method = null, status = null, app = null;
        double requestTime = 0;
        bool seenRequestTime = false;
        for (int i = 0; i < count; i++)
        {
            if (!ChunkReader.TryReadKey(ref reader, out ReadOnlySpan<byte> key))
            {
                continue;
            }

            if (key.SequenceEqual("method"u8))
            {
                ValueReader.TryReadString(ref reader, instruments.Methods, out method);
            }
            else if (key.SequenceEqual("status"u8))
            {
                ValueReader.TryReadString(ref reader, instruments.Statuses, out status);
            }
            else if (key.SequenceEqual("request_time"u8))
            {
                seenRequestTime = ValueReader.TryReadDouble(ref reader, out requestTime);
            }
            else if (key.SequenceEqual("kubernetes"u8))
            {
                MessagePackReader peek = reader.CreatePeekReader();
                if (ChunkReader.TrySeekKey(ref peek, "labels"u8) && ChunkReader.TrySeekKey(ref peek, "app"u8))
                {
                    ValueReader.TryReadString(ref peek, instruments.Apps, out app);
                }

                reader.Skip();
            }
            else
            {
                reader.Skip();
            }
        }

        MetricValue.TryObserve(instruments.Delay, context.FlushTime.SecondsSince(context.Timestamp));
        if (method is null || status is null || app is null
            || !context.TagPart(-1, out ReadOnlySpan<byte> file)
            || !context.TryGetMetadata("stream"u8, out MessagePackReader streamReader)
            || !ValueReader.TryReadUtf8(ref streamReader, out ReadOnlyMemory<byte> stream))
        {
            instruments.RequestsHealth.Skip(SkipReason.MissingLabel);
        }
        else
        {
            var requestKey = new SeriesKey(stackalloc byte[256]);
            requestKey.Add(method);
            requestKey.Add(status);
            requestKey.Add(app);
            requestKey.Add(file);
            requestKey.Add(stream.Span);
            instruments.Requests.Get(in requestKey)?.Inc();
        }

        if (method is null)
        {
            instruments.DurationHealth.Skip(SkipReason.MissingLabel);
        }
        else if (!seenRequestTime)
        {
            instruments.DurationHealth.Skip(SkipReason.MissingValue);
        }
        else
        {
            var durationKey = new SeriesKey(stackalloc byte[256]);
            durationKey.Add(method);
            if (instruments.Duration.Get(in durationKey) is { } child && !MetricValue.TryObserve(child, requestTime))
            {
                instruments.DurationHealth.Skip(SkipReason.InvalidValue);
            }
        }
    }

    private static Dictionary<string, double> Scrape(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>Access-log records, typed (as the json parser gives them) and all strings (as a regex parser does).</summary>
    private static byte[] AccessLogChunk()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new MessagePackWriter(buffer);
        string[] methods = ["GET", "POST", "PUT"];
        for (int i = 0; i < 60; i++)
        {
            bool typed = i % 2 == 0;
            w.WriteArrayHeader(2);
            w.WriteArrayHeader(2);
            byte[] time = new byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(time, 1700000000u + (uint)i);
            BinaryPrimitives.WriteUInt32BigEndian(time.AsSpan(4), 500_000_000);
            w.WriteExtensionFormat(new ExtensionResult(0, time));
            w.WriteMapHeader(1);
            w.Write("stream");
            w.Write(i % 3 == 0 ? "stderr" : "stdout");
            w.WriteMapHeader(i % 10 == 9 ? 4 : 5);
            w.Write("method");
            w.Write(methods[i % 3]);
            if (i % 10 != 9)
            {
                w.Write("status");
                if (typed)
                {
                    w.Write(200 + (i % 4));
                }
                else
                {
                    w.Write((200 + (i % 4)).ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            w.Write("request_time");
            if (typed)
            {
                w.Write(0.001 * i);
            }
            else
            {
                w.Write((0.001 * i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            w.Write("path");
            w.Write("/api/items/" + i);
            w.Write("kubernetes");
            w.WriteMapHeader(2);
            w.Write("pod_name");
            w.Write("web-" + (i % 2));
            w.Write("labels");
            w.WriteMapHeader(1);
            w.Write("app");
            w.Write(i % 2 == 0 ? "shop" : "cart");
        }

        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void SteadyStateDynamicLabelsFromEverySourceAllocateNothing()
    {
        byte[] chunk = AccessLogChunk();
        byte[] tag = "kube.var.log.containers.web.log"u8.ToArray();
        CollectorRegistry registry = Prometheus.Metrics.NewCustomRegistry();
        var instruments = new MetricOptions().CreateInstruments(registry, "access_log_exporter", (r, o) => new AccessLogInstruments(r, o));

        ApplyEvent apply = (ref MessagePackReader reader, in EventContext context) => ApplyAccessLog(ref reader, instruments, context);
        void FlushAccessLog() => Flush(chunk, tag, apply);

        Allocations.AssertNone(FlushAccessLog);

        // Typed and string records land in the same series.
        Dictionary<string, double> series = Scrape(registry);
        Assert.Equal((Allocations.Warmups + Allocations.Runs) * 5, series[PrometheusText.Key("http_requests_total", ("method", "GET"), ("status", "200"), ("app", "shop"), ("file", "log"), ("stream", "stderr"))]);
        Assert.Equal((Allocations.Warmups + Allocations.Runs) * 20, series[PrometheusText.Key("http_request_duration_seconds_count", ("method", "GET"))]);
        Assert.Equal((Allocations.Warmups + Allocations.Runs) * 6, instruments.RequestsHealth.Skipped(SkipReason.MissingLabel));
        Assert.Equal(0, instruments.DurationHealth.Skipped(SkipReason.MissingValue));
        Assert.Equal((Allocations.Warmups + Allocations.Runs) * 60, series["event_delay_seconds_count"]);
    }
}
