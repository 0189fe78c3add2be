using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.TestKit;
using SpanPlugin = global::SpanMetrics.SpanMetrics;
using SpanRecord = global::SpanMetrics.SpanRecord;

namespace FluentBit.Plugins.Benchmarks;

/// <summary>
/// The span sample over 500 spans in 5 trace documents of 100 (as 5 OTLP requests reach Fluent Bit's opentelemetry
/// input): 3 services, 10 operations, server and client spans, one in twenty an error, durations from 1 ms to 3 s,
/// every trace id its own. <c>Validate</c> is the structural walk a chunk gets before anything of it is applied;
/// <c>FlushPath</c> the .so's whole flush (validate, decode, apply, self-metrics), per span.
/// </summary>
public class SpanRecords
{
    private const int Spans = Datasets.ChunkEvents;
    private readonly Flush.RuntimeInstance<SpanPlugin, SpanRecord, SpanPlugin.Instruments> _runtime = new();
    private Dataset _data = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = new Dataset("spans", [Chunk()], "otel");
        _runtime.Flush(_data);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Spans)]
    public void Validate()
    {
        if (!TraceChunk.TryValidate(_data.Chunks[0], out _, out _))
        {
            throw new InvalidOperationException("the span chunk does not validate");
        }
    }

    [Benchmark(OperationsPerInvoke = Spans)]
    public void FlushPath() => _runtime.Flush(_data);

    private static byte[] Chunk()
    {
        string[] services = ["checkout", "inventory", "payments"];
        string[] routes = ["/api/items", "/api/items/{id}", "/cart", "/checkout", "/login", "/search", "/orders", "/orders/{id}", "/pay", "/health"];
        var builder = new TraceChunkBuilder();
        var random = new Random(36);
        for (int document = 0; document < 5; document++)
        {
            var spans = new TestSpan[Spans / 5];
            for (int i = 0; i < spans.Length; i++)
            {
                int n = (document * spans.Length) + i;
                string route = routes[n % routes.Length];
                spans[i] = new TestSpan($"GET {route}")
                {
                    ServiceName = services[n % services.Length],
                    Kind = n % 3 == 0 ? TestSpanKind.Client : TestSpanKind.Server,
                    Status = n % 20 == 0 ? TestSpanStatus.Error : TestSpanStatus.Unset,
                    Duration = TimeSpan.FromMilliseconds(1 + random.Next(3000)),
                    TraceId = $"{n + 1:x32}",
                    SpanId = $"{n + 1:x16}",
                    Attributes = new Dictionary<string, object?> { ["http.route"] = route, ["http.request.method"] = "GET", ["http.response.status_code"] = n % 20 == 0 ? 500 : 200 },
                };
            }

            builder.Add(spans);
        }

        return builder.ToArray();
    }
}
