using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using FluentBit.Plugins.Testing;
using MessagePack;

namespace FluentBit.Plugins.Benchmarks;

/// <summary>Chunks as Fluent Bit hands them to a flush, with the number of events they hold.</summary>
public sealed class Dataset
{
    public Dataset(string name, byte[][] chunks, string tag)
    {
        Name = name;
        Chunks = chunks;
        Tag = System.Text.Encoding.UTF8.GetBytes(tag);
        Records = chunks.Sum(CountEvents);
    }

    public string Name { get; }

    public byte[][] Chunks { get; }

    public byte[] Tag { get; }

    public int Records { get; }

    /// <summary>Throws unless the set holds <paramref name="records"/> events (each benchmark divides by a constant).</summary>
    public Dataset Expect(int records) => Records == records
        ? this
        : throw new InvalidOperationException($"{Name} holds {Records} events, the benchmarks divide by {records}");

    private static int CountEvents(byte[] chunk)
    {
        var reader = new MessagePackReader(chunk);
        int events = 0;
        while (!reader.End)
        {
            reader.Skip();
            events++;
        }

        return events;
    }
}

/// <summary>
/// The record sets of the benchmarks: the real Fluent Bit 5.1.1 chunks of tests/vectors, and chunks written
/// here the way Fluent Bit packs them (v2 header <c>[[EventTime, {}], body]</c>, smallest integer widths,
/// float64, str) for records the vectors lack.
/// </summary>
public static class Datasets
{
    /// <summary>Events per written chunk: about what Fluent Bit flushes at a high rate (the burst vectors hold 500).</summary>
    public const int ChunkEvents = 500;

    /// <summary>The burst vectors: dummy input at 500 records/s, 1,493 events in 4 real chunks.</summary>
    public const int BurstEvents = 1493;

    private const long Epoch = 1_700_000_000;

    /// <summary>The real cpu vectors (one event per chunk, as the cpu input flushes), 4 chunks.</summary>
    public static Dataset CpuFlushes() => new Dataset("cpu (real chunks, 1 event each)", Vectors.Chunks("cpu").Select(File.ReadAllBytes).ToArray(), "cpu.0").Expect(4);

    /// <summary>The 4 real cpu events repeated into one chunk of 500: Fluent Bit's exact bytes, at volume.</summary>
    public static Dataset Cpu()
    {
        byte[][] events = Vectors.Chunks("cpu").Select(File.ReadAllBytes).ToArray();
        byte[] chunk = Enumerable.Range(0, ChunkEvents).SelectMany(i => events[i % events.Length]).ToArray();
        return new Dataset("cpu", [chunk], "cpu.0").Expect(ChunkEvents);
    }

    /// <summary>The real burst vectors.</summary>
    public static Dataset Burst() => new Dataset("burst", Vectors.Chunks("burst").Select(File.ReadAllBytes).ToArray(), "burst").Expect(BurstEvents);

    /// <summary>
    /// The access-log sample's 200 lines (samples/AccessLogExporter/sample-access.jsonl) repeated into 500 events,
    /// typed as Fluent Bit's json parser gives them, or every value a string as a regex parser gives them.
    /// </summary>
    public static Dataset AccessLog(bool strings)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Vectors.RepoRoot(), "samples", "AccessLogExporter", "sample-access.jsonl"));
        var chunk = new ChunkWriter();
        for (int i = 0; i < ChunkEvents; i++)
        {
            using JsonDocument line = JsonDocument.Parse(lines[i % lines.Length]);
            chunk.Event(Epoch + i, (ref MessagePackWriter w) => w.WriteMapHeader(0), (ref MessagePackWriter w) => WriteJson(ref w, line.RootElement, strings));
        }

        return new Dataset(strings ? "access-log (all strings)" : "access-log (typed)", [chunk.ToArray()], "access.log").Expect(ChunkEvents);
    }

    /// <summary>
    /// Kubernetes-shaped log lines for the shapes plugin: nested kubernetes maps, a metadata stream, levels, users,
    /// sessions, paths (one in ten a health check the hook skips), latencies and io_* keys.
    /// </summary>
    public static Dataset Shapes()
    {
        string[] namespaces = ["shop", "cart", "auth"];
        string[] apps = ["web", "api", "worker", "db"];
        string[] levels = ["info", "INFO", "warn", "error", "debug"];
        string[] users = ["alice", "bob", "carol", "dave", "erin"];
        string[] paths = ["/api/items/1", "/api/items/2", "/login", "/other", "/api/items/3", "/checkout", "/api/items/4", "/cart", "/search", "/healthz"];
        var chunk = new ChunkWriter();
        for (int i = 0; i < ChunkEvents; i++)
        {
            int n = i;
            chunk.Event(
                Epoch + i,
                (ref MessagePackWriter w) =>
                {
                    w.WriteMapHeader(1);
                    w.Write("stream");
                    w.Write(n % 4 == 0 ? "stderr" : "stdout");
                },
                (ref MessagePackWriter w) =>
                {
                    w.WriteMapHeader(11);
                    w.Write("kubernetes");
                    w.WriteMapHeader(4);
                    w.Write("namespace_name");
                    w.Write(namespaces[n % namespaces.Length]);
                    w.Write("pod_name");
                    w.Write($"{apps[n % apps.Length]}-7d9f8b6c5-{n % 7}");
                    w.Write("labels");
                    w.WriteMapHeader(2);
                    w.Write("app");
                    w.Write(apps[n % apps.Length]);
                    w.Write("tier");
                    w.Write("front");
                    w.Write("container_ports");
                    w.WriteArrayHeader(2);
                    w.Write(80);
                    w.Write(8080 + (n % 3));
                    w.Write("level");
                    w.Write(levels[n % levels.Length]);
                    w.Write("cached");
                    w.Write(n % 3 == 0);
                    w.Write("user");
                    w.Write(users[n % users.Length]);
                    w.Write("session");
                    w.Write($"s{n % 8}");
                    w.Write("path");
                    w.Write(paths[n % paths.Length]);
                    w.Write("latency");
                    w.Write(0.001 * (n % 900));
                    w.Write("queued");
                    w.Write(n % 5);
                    w.Write("dequeued");
                    w.Write(n % 4);
                    w.Write("io_in");
                    w.Write(100 + n);
                    w.Write("io_out");
                    w.Write(50 + n);
                });
        }

        return new Dataset("shapes (hook)", [chunk.ToArray()], "kube.node1.web").Expect(ChunkEvents);
    }

    private static void WriteJson(ref MessagePackWriter w, JsonElement value, bool strings)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteMapHeader(value.EnumerateObject().Count());
                foreach (JsonProperty property in value.EnumerateObject())
                {
                    w.Write(property.Name);
                    WriteJson(ref w, property.Value, strings);
                }

                break;
            case JsonValueKind.String:
                w.Write(value.GetString());
                break;
            case JsonValueKind.Number when strings:
                w.Write(value.GetRawText());
                break;
            case JsonValueKind.Number when value.TryGetInt64(out long integer):
                w.Write(integer);
                break;
            case JsonValueKind.Number:
                w.Write(value.GetDouble());
                break;
            default:
                throw new ArgumentException($"the access-log sample has no {value.ValueKind} values");
        }
    }
}

/// <summary>Writes events as Fluent Bit packs them: <c>[[EventTime(ext 0), metadata], body]</c>.</summary>
public sealed class ChunkWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public delegate void WriteMap(ref MessagePackWriter writer);

    public void Event(long seconds, WriteMap metadata, WriteMap body)
    {
        var w = new MessagePackWriter(_buffer);
        w.WriteArrayHeader(2);
        w.WriteArrayHeader(2);
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(time, (uint)seconds);
        BinaryPrimitives.WriteUInt32BigEndian(time[4..], 500_000_000);
        w.WriteExtensionFormat(new ExtensionResult(0, time.ToArray()));
        metadata(ref w);
        body(ref w);
        w.Flush();
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
