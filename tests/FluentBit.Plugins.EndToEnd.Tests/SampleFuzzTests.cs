using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The samples' decoders as published (NativeAOT code in the .so), loaded into this process and fed mutated chunks
/// against guard pages: 200,000 inputs each in CI, <c>FUZZ_INPUTS</c> more (see the runtime's FuzzTests).
/// </summary>
public class SampleFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void TheCpuSampleSurvivesMutatedChunks()
    {
        List<byte[]> seeds = [.. Vectors.Chunks("cpu").Select(File.ReadAllBytes), .. Vectors.Chunks("mem").Select(File.ReadAllBytes)];
        Run(Artifacts.CpuExporter, "cpu_exporter", seeds);
    }

    [Fact]
    public void TheAccessLogSampleSurvivesMutatedChunks()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Vectors.RepoRoot(), "samples", "AccessLogExporter", "sample-access.jsonl"));
        var seeds = new List<byte[]>();
        for (int i = 0; i + 4 <= lines.Length; i += 4)
        {
            // Typed, as the json parser gives them, and all strings, as a regex parser does.
            var typed = new ChunkBuilder();
            var strings = new ChunkBuilder();
            foreach (string line in lines[i..(i + 4)])
            {
                Dictionary<string, JsonElement> fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(line)!;
                typed.Event(fields.ToDictionary(f => f.Key, f => Typed(f.Value)));
                strings.Event(fields.ToDictionary(f => f.Key, f => (object?)f.Value.ToString()));
            }

            seeds.Add(typed.ToArray());
            seeds.Add(strings.ToArray());
        }

        // And Fluent Bit's own chunks (tests/vectors), for the encodings and headers only real chunks have.
        seeds.AddRange(Vectors.Chunks("types").Concat(Vectors.Chunks("legacy")).Select(File.ReadAllBytes));

        Run(Artifacts.AccessLogExporter, "access_log_exporter", seeds);
    }

    private void Run(string library, string name, List<byte[]> seeds)
    {
        InProcessPlugin plugin = InProcessPlugin.Load(library);
        Assert.Equal(0, plugin.Register());
        InProcessInstance instance = plugin.Init(("http_listen", "127.0.0.1"), ("http_port", Scrape.FreePort().ToString()));
        nint tag = Marshal.StringToCoTaskMemUTF8("fuzz.sample");
        try
        {
            Assert.Equal(1, instance.InitResult);
            long count = FuzzCampaign.Count(200_000);

            FuzzReport report = FuzzCampaign.Run(name, seeds, count, (data, size) => instance.Flush(data, size, tag), Validate, StructuralCheck);
            output.WriteLine(report.ToString());

            report.AssertSound();
            Assert.DoesNotContain(InProcessPlugin.Log, l => l.Contains("flush failed at event"));
        }
        finally
        {
            Assert.Equal(0, instance.Exit());
            Marshal.FreeCoTaskMem(tag);
        }
    }

    // The judge shares no code with the structural check the flush runs (ChunkStructure): see IndependentChunkOracle.
    // The check's own verdict is compared with it too, input by input.
    private static bool Validate(ReadOnlySpan<byte> chunk) => IndependentChunkOracle.IsWellFormed(chunk);

    private static bool StructuralCheck(ReadOnlySpan<byte> chunk) => ChunkStructure.TryValidate(chunk, out _, out _);

    private static object? Typed(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out long l) => l,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString(),
        _ => null,
    };
}
