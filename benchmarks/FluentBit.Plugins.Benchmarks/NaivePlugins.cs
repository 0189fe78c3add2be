using System;
using System.Collections.Generic;
using System.Globalization;
using FluentBit.Plugins.Decoding;
using MessagePack;
using Prometheus;

namespace FluentBit.Plugins.Benchmarks;

/// <summary>
/// What a plugin written without the framework typically does: each event's body deserialized by MessagePack-CSharp
/// into a <c>Dictionary&lt;string, object&gt;</c>, then values found by key, converted with <see cref="Convert"/>,
/// and applied to prometheus-net collectors with <c>WithLabels</c> per record. The header is read with the
/// framework's <see cref="EventReader"/>, so the difference from a generated plugin is the body alone.
/// </summary>
public abstract unsafe class NaivePlugin
{
    private static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard;

    protected NaivePlugin()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
    }

    public CollectorRegistry Registry { get; }

    protected IMetricFactory Factory { get; }

    public void Flush(Dataset data)
    {
        foreach (byte[] chunk in data.Chunks)
        {
            fixed (byte* bytes = chunk)
            {
                ReadOnlyMemory<byte> memory = global::FluentBit.Plugins.Benchmarks.Flush.Chunk(bytes, chunk.Length);
                var reader = new ChunkReader(memory);
                while (!reader.End)
                {
                    EventReader.ReadEventHeader(ref reader, out _);
                    int body = reader.Consumed;
                    reader.Skip();
                    Apply(MessagePackSerializer.Deserialize<Dictionary<string, object>>(memory[body..reader.Consumed], Options));
                }
            }
        }
    }

    protected abstract void Apply(Dictionary<string, object> body);

    protected static double ToDouble(object value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    protected static string? ToText(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
}

/// <summary>The cpu sample, naively: cpu_usage_percent{cpu, mode} from cpu_p/user_p/system_p and every cpuN.p_mode key.</summary>
public sealed class NaiveCpuPlugin : NaivePlugin
{
    private readonly Gauge _usage;

    public NaiveCpuPlugin() => _usage = Factory.CreateGauge("cpu_usage_percent", "CPU usage in percent", ["cpu", "mode"]);

    protected override void Apply(Dictionary<string, object> body)
    {
        foreach ((string key, object value) in body)
        {
            switch (key)
            {
                case "cpu_p":
                    _usage.WithLabels("all", "total").Set(ToDouble(value));
                    break;
                case "user_p":
                    _usage.WithLabels("all", "user").Set(ToDouble(value));
                    break;
                case "system_p":
                    _usage.WithLabels("all", "system").Set(ToDouble(value));
                    break;
                default:
                    int dot = key.IndexOf(".p_", StringComparison.Ordinal);
                    if (dot > 0)
                    {
                        string mode = key[(dot + 3)..];
                        _usage.WithLabels(key[..dot], mode == "cpu" ? "total" : mode).Set(ToDouble(value));
                    }

                    break;
            }
        }
    }
}

/// <summary>The access-log sample, naively: the same three metrics, from typed or string values.</summary>
public sealed class NaiveAccessLogPlugin : NaivePlugin
{
    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Counter _bytes;

    public NaiveAccessLogPlugin()
    {
        _requests = Factory.CreateCounter("http_requests_total", "HTTP requests by method and status", ["method", "status"]);
        _duration = Factory.CreateHistogram("http_request_duration_seconds", "Time to serve a request, in seconds", labelNames: ["method"]);
        _bytes = Factory.CreateCounter("http_response_bytes_total", "Bytes sent in response bodies", ["method"]);
    }

    protected override void Apply(Dictionary<string, object> body)
    {
        string? method = body.TryGetValue("method", out object? m) ? ToText(m) : null;
        if (method is null)
        {
            return;
        }

        if (body.TryGetValue("status", out object? status))
        {
            _requests.WithLabels(method, ToText(status)!).Inc();
        }

        if (body.TryGetValue("request_time", out object? time))
        {
            _duration.WithLabels(method).Observe(ToDouble(time));
        }

        if (body.TryGetValue("bytes", out object? bytes))
        {
            _bytes.WithLabels(method).Inc(ToDouble(bytes));
        }
    }
}
