using System;
using System.Collections.Generic;
using System.IO;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.Testing;
using MessagePack;
using Prometheus;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>Decodes chunks through the generated probe the way a flush does, keeping a copy of every record.</summary>
internal sealed class ProbeRun
{
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public ProbeExporter.Instruments Instruments { get; }

    public ProbeRun() => Instruments = ProbeExporter.CreateInstruments(Registry, Options);

    public MetricOptions Options { get; } = new();

    public List<(EventTimestamp Timestamp, ProbeRecord Record)> Apply(byte[] chunk, string tag = "test") => Apply(chunk.AsMemory(), tag);

    public List<(EventTimestamp Timestamp, ProbeRecord Record)> Apply(ReadOnlyMemory<byte> chunk, string tag = "test")
    {
        var events = new List<(EventTimestamp, ProbeRecord)>();
        var reader = new ChunkReader(chunk);
        var record = new ProbeRecord();
        byte[] tagBytes = System.Text.Encoding.UTF8.GetBytes(tag);
        while (!reader.End)
        {
            EventTimestamp timestamp = EventReader.ReadEventHeader(ref reader, out ReadOnlyMemory<byte> metadata);
            ProbeExporter.ApplyRecord(ref reader, record, Instruments, new EventContext(timestamp, tagBytes, metadata, EventTimestamp.Now()));
            events.Add((timestamp, Copy(record)));
        }

        return events;
    }

    public List<(EventTimestamp Timestamp, ProbeRecord Record)> ApplySet(string set)
    {
        var all = new List<(EventTimestamp, ProbeRecord)>();
        foreach (string file in Vectors.Chunks(set))
        {
            all.AddRange(Apply(File.ReadAllBytes(file)));
        }

        return all;
    }

    public Dictionary<string, double> Scrape()
    {
        using var stream = new MemoryStream();
        Registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return PrometheusText.Parse(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static ProbeRecord Copy(ProbeRecord r) => new()
    {
        CpuP = r.CpuP, UserP = r.UserP, SystemP = r.SystemP, MemTotal = r.MemTotal, MemUsed = r.MemUsed, MemFree = r.MemFree,
        SwapTotal = r.SwapTotal, Status = r.Status, Latency = r.Latency, Bytes = r.Bytes, Big = r.Big, Ok = r.Ok, None = r.None, Method = r.Method,
    };
}
