using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using FluentBit.Plugins.TestKit;
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

    /// <summary>Events in the chunks a busy tail flushes: 300,000 records came as 56 chunks of about 5,400 (issue 19).</summary>
    public const int LargeChunkEvents = 5400;

    /// <summary>The 4 real cpu events repeated into one chunk of 5,400, Fluent Bit's size under load.</summary>
    public static Dataset CpuLargeChunk()
    {
        byte[][] events = Vectors.Chunks("cpu").Select(File.ReadAllBytes).ToArray();
        byte[] chunk = Enumerable.Range(0, LargeChunkEvents).SelectMany(i => events[i % events.Length]).ToArray();
        return new Dataset("cpu, large chunk", [chunk], "cpu.0").Expect(LargeChunkEvents);
    }

    /// <summary><paramref name="copies"/> copies of <see cref="CpuLargeChunk"/>, each in an array of its own.</summary>
    public static Dataset[] CpuLargeChunkCopies(int copies)
    {
        byte[] chunk = CpuLargeChunk().Chunks[0];
        return Enumerable.Range(0, copies).Select(_ => new Dataset("cpu, large chunk", [chunk.ToArray()], "cpu.0")).ToArray();
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
        var chunk = new ChunkBuilder();
        for (int i = 0; i < ChunkEvents; i++)
        {
            using JsonDocument line = JsonDocument.Parse(lines[i % lines.Length]);
            object body = strings
                ? line.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText()))
                : line.RootElement.Clone();
            chunk.Add(body, At(i));
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
        var chunk = new ChunkBuilder();
        for (int n = 0; n < ChunkEvents; n++)
        {
            var body = new Dictionary<string, object?>
            {
                ["kubernetes"] = new Dictionary<string, object?>
                {
                    ["namespace_name"] = namespaces[n % namespaces.Length],
                    ["pod_name"] = $"{apps[n % apps.Length]}-7d9f8b6c5-{n % 7}",
                    ["labels"] = new Dictionary<string, object?> { ["app"] = apps[n % apps.Length], ["tier"] = "front" },
                    ["container_ports"] = new[] { 80, 8080 + (n % 3) },
                },
                ["level"] = levels[n % levels.Length],
                ["cached"] = n % 3 == 0,
                ["user"] = users[n % users.Length],
                ["session"] = $"s{n % 8}",
                ["path"] = paths[n % paths.Length],
                ["latency"] = 0.001 * (n % 900),
                ["queued"] = n % 5,
                ["dequeued"] = n % 4,
                ["io_in"] = 100 + n,
                ["io_out"] = 50 + n,
            };
            chunk.Add(body, At(n), metadata: new Dictionary<string, object?> { ["stream"] = n % 4 == 0 ? "stderr" : "stdout" });
        }

        return new Dataset("shapes (hook)", [chunk.ToArray()], "kube.node1.web").Expect(ChunkEvents);
    }

    /// <summary>Event <paramref name="i"/>'s time: a second apart from <see cref="Epoch"/>, half a second in.</summary>
    private static DateTimeOffset At(int i) => DateTimeOffset.FromUnixTimeSeconds(Epoch + i).AddMilliseconds(500);
}
