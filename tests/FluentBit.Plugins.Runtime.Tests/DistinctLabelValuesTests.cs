using System;
using System.Collections.Generic;
using System.Text;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>Measures this process's heap, so it runs alone.</summary>
[CollectionDefinition(nameof(HeapMeasurements), DisableParallelization = true)]
public sealed class HeapMeasurements
{
}

/// <summary>A million distinct label values: the series stop at the cap, the rest are counted, and memory stays flat.</summary>
[Collection(nameof(HeapMeasurements))]
public class DistinctLabelValuesTests(ITestOutputHelper output)
{
    private const int PerChunk = 10_000;
    private const int Chunks = 100;
    private const int Cap = 10_000;

    [Fact]
    public void AMillionDistinctLabelValuesStopAtTheCapAndMemoryStaysBounded()
    {
        using var instance = new RuntimeHarness();
        byte[] chunk = new ChunkBuilder().Event(new Dictionary<string, object?>
        {
            ["bytes"] = 1L,
            ["kubernetes"] = new Dictionary<string, object?> { ["labels"] = new Dictionary<string, object?> { ["app"] = "app-0000000" } },
        }).ToArray();
        int record = chunk.Length;
        byte[] many = new byte[record * PerChunk];
        int digits = chunk.AsSpan().IndexOf("0000000"u8);

        long heapAtCap = 0;
        for (int c = 0; c < Chunks; c++)
        {
            for (int r = 0; r < PerChunk; r++)
            {
                chunk.CopyTo(many, r * record);
                Encoding.ASCII.GetBytes(((c * PerChunk) + r).ToString("D7"), many.AsSpan((r * record) + digits, 7));
            }

            Assert.Equal(FlbConstants.Ok, instance.Flush(many));
            if (c == (Chunks / 5) - 1)
            {
                heapAtCap = GC.GetTotalMemory(forceFullCollection: true);
            }
        }

        long heapAtEnd = GC.GetTotalMemory(forceFullCollection: true);
        Dictionary<string, double> metrics = instance.Scrape();
        output.WriteLine($"heap after {Chunks / 5 * PerChunk:N0} records: {heapAtCap:N0} B; after {Chunks * PerChunk:N0}: {heapAtEnd:N0} B");

        Assert.Equal(Cap, metrics[PrometheusText.Key("fluentbit_plugin_series", ("metric", "probe_bytes_moving"))]);
        Assert.Equal((Chunks * PerChunk) - Cap, metrics[PrometheusText.Key("fluentbit_plugin_series_capped_total", ("metric", "probe_bytes_moving"), ("policy", "drop"))]);
        Assert.Equal(Chunks * PerChunk, metrics["probe_records_total"]);

        // 800,000 more distinct values once the cap is reached cost nothing that stays.
        Assert.True(heapAtEnd - heapAtCap < 2 * 1024 * 1024, $"the heap grew by {heapAtEnd - heapAtCap:N0} bytes past the cap");
        Assert.Single(instance.Log);
    }
}
