using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>
/// Mutations of the real chunks and of chunks shaped for the probe's paths, flushed through the runtime against
/// guard pages. CI runs 600,000 inputs here (and 400,000 more through the published samples in the end-to-end
/// tests); <c>FUZZ_INPUTS=10000000 dotnet test tests/FluentBit.Plugins.Runtime.Tests -c Release --filter FullyQualifiedName~FuzzTests</c>
/// runs ten million.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void MutatedChunksNeverCrashHangReadOutsideTheChunkOrAllocateWithoutBound()
    {
        using var instance = new RuntimeHarness();
        long count = FuzzCampaign.Count(600_000);

        FuzzReport report = FuzzCampaign.Run("probe", Seeds(), count, (data, size) => instance.Flush(data, size), Validate, StructuralCheck);
        output.WriteLine(report.ToString());

        report.AssertSound();

        // What a flush allocates grows with what the input holds (strings beyond the caches, new series), never beyond.
        Assert.True(report.MostAllocated < 4 * 1024 * 1024, report.ToString());

        // The one path that is not expected to be taken: an exception outside a record, after validation.
        Assert.DoesNotContain(instance.Log, l => l.Contains("flush failed at event"));
    }

    // The judge shares no code with the structural check the flush runs (ChunkStructure): see IndependentChunkOracle.
    // The check's own verdict is compared with it too, input by input.
    private static bool Validate(ReadOnlySpan<byte> chunk) => IndependentChunkOracle.IsWellFormed(chunk);

    private static bool StructuralCheck(ReadOnlySpan<byte> chunk) => ChunkStructure.TryValidate(chunk, out _, out _);

    /// <summary>The real chunks, each of their events alone, and events for every path of the probe.</summary>
    internal static List<byte[]> Seeds()
    {
        var seeds = new List<byte[]>();
        foreach (string set in new[] { "cpu", "mem", "types", "burst", "legacy" })
        {
            foreach (string file in Vectors.Chunks(set))
            {
                byte[] chunk = File.ReadAllBytes(file);
                seeds.Add(chunk);
                for (int at = 0; at < chunk.Length && seeds.Count < 200;)
                {
                    int length = (int)MessagePackFormat.ValueLength(chunk.AsSpan(at));
                    seeds.Add(chunk[at..(at + length)]);
                    at += length;
                }
            }
        }

        Dictionary<string, object?> withMetadata = BadInputTests.Good();
        withMetadata["nested"] = MessagePackValue.Nested(2_000, maps: true);
        seeds.Add(new ChunkBuilder().Event(BadInputTests.Good()).ToArray());
        seeds.Add(new ChunkBuilder().Event(BadInputTests.Good(), new() { ["stream"] = "stdout", ["deep"] = MessagePackValue.Nested(100) }).Event(withMetadata).ToArray());
        seeds.Add(new ChunkBuilder().Event(MessagePackValue.Map((1L, "int key"), (new byte[] { 1 }, 2.5), ("status", "404"), ("latency", "0.25"), ("ok", "TRUE"))).ToArray());

        // Legacy events: [timestamp, body] with an integer and a float timestamp.
        seeds.Add([0x92, 0xce, 0x65, 0x53, 0xf1, 0x00, 0x81, 0xa6, .. "status"u8, 0xcd, 0x01, 0xf4, 0x92, 0xcb, 0x41, 0xd9, 0x54, 0xfc, 0x40, 0x00, 0x00, 0x00, 0x80]);
        return seeds;
    }
}
