using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentBit.Plugins.Decoding;
using FluentBit.Plugins.EndToEnd.Tests.RealFluentBit.Compatibility;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit.Arm64;

/// <summary>
/// The samples published for linux-arm64 in an arm64 Fluent Bit, both run under qemu-user on this x64 machine
/// (<c>FLUENT_BIT_ARM64</c> names the arm64 binary; eng/build-fluent-bit-arm64.sh cross-builds 5.1.1). Emulation is
/// slow: the waits are bounded only by what a hang would cross.
/// </summary>
[Trait("Category", Category)]
public class Arm64Tests
{
    public const string Category = "Arm64";

    private const int Samples = 40;

    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(3);

    /// <summary>The arm64 Fluent Bit, or a failure that says how to get one.</summary>
    private static string Binary => Environment.GetEnvironmentVariable("FLUENT_BIT_ARM64") is { Length: > 0 } path && File.Exists(path)
        ? path
        : throw new InvalidOperationException("FLUENT_BIT_ARM64 names no arm64 fluent-bit: eng/build-fluent-bit-arm64.sh builds one");

    /// <summary>
    /// qemu-user runs the arm64 binary with the arm64 loader and libraries Debian installs beside the x64 ones
    /// (multiarch); no <c>-L</c>: the cross toolchain's sysroot holds another build of glibc, and mixing the two hangs pthread_create.
    /// </summary>
    private static readonly string[] Qemu = ["qemu-aarch64-static"];

    public static TheoryData<string> Names => new() { CompatSample.Cpu.Name, CompatSample.AccessLog.Name };

    /// <summary>Loaded with -e, dummy records in, the exact series scraped, SIGTERM ends Fluent Bit with status 0.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void TheArm64PluginServesExactSeriesInArm64FluentBit(string name)
    {
        CompatSample sample = CompatSample.Named(name);
        int port = Scrape.FreePort();
        using FluentBitProcess fluentBit = FluentBitProcess.Start(
            ["-e", Library(sample), "-i", "dummy", "-p", $"dummy={sample.Dummy}", "-p", $"samples={Samples}", "-p", "rate=20",
             .. FluentBitRun.OutputArguments(sample.Name, port)],
            under: Qemu, binary: Binary);
        fluentBit.WaitForLog($@"\[ info\] \[{sample.Name}\.0\] serving metrics at", Hang);
        Assert.True(SpinWaitFor(() => Scrape.RecordsDecoded(port) >= Samples, fluentBit), fluentBit.Log);
        sample.AssertSeries(port, Samples);
        Assert.Equal(0, fluentBit.Terminate());
        Assert.DoesNotContain("SIGSEGV", fluentBit.Log);
    }

    /// <summary>
    /// The cpu vectors (chunks real Fluent Bit 5.1.1 made) sent through the forward input to the x64 sample in x64
    /// Fluent Bit and to the arm64 sample in arm64 Fluent Bit: the same series with the same values.
    /// </summary>
    [Fact]
    public void TheChunkVectorsDecodeToTheSameValuesAsOnX64()
    {
        byte[][] chunks = [.. new[] { "cpu", "burst", "legacy" }.SelectMany(Vectors.Chunks).Select(File.ReadAllBytes)];
        int events = chunks.Sum(c => ChunkStructure.TryValidate(c, out int n, out _) ? n : throw new InvalidDataException("a damaged vector"));

        string[] x64 = Series(Artifacts.CpuExporter, null, FluentBitProcess.Binary, chunks, events);
        string[] arm64 = Series(Artifacts.Arm64CpuExporter, Qemu, Binary, chunks, events);

        Assert.NotEmpty(x64);
        Assert.Equal(x64, arm64);
    }

    /// <summary>The plugin's own sample lines after the chunks went in, sorted (self-metrics, which hold timings, left out).</summary>
    private static string[] Series(string library, string[]? under, string binary, byte[][] chunks, int events)
    {
        int port = Scrape.FreePort(), forward = Scrape.FreePort();
        using FluentBitProcess fluentBit = FluentBitProcess.Start(
            ["-e", library, "-i", "forward", "-p", "listen=127.0.0.1", "-p", $"port={forward}",
             .. FluentBitRun.OutputArguments(CompatSample.Cpu.Name, port)],
            under: under, binary: binary);
        fluentBit.WaitForLog(@"\[ info\] \[cpu_exporter\.0\] serving metrics at", Hang);
        foreach (byte[] chunk in chunks)
        {
            Assert.True(ForwardClient.Send(forward, "cpu.local", chunk), fluentBit.Log);
        }

        Assert.True(SpinWaitFor(() => Scrape.RecordsDecoded(port) >= events, fluentBit), fluentBit.Log);
        Assert.Equal(events, Scrape.RecordsDecoded(port));
        string[] lines = [.. Scrape.Text(port).Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith(Scrape.SelfMetricsPrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
        Assert.Equal(0, fluentBit.Terminate());
        return lines;
    }

    private static string Library(CompatSample sample) => sample.Name == CompatSample.Cpu.Name ? Artifacts.Arm64CpuExporter : Artifacts.Arm64AccessLogExporter;

    private static bool SpinWaitFor(Func<bool> condition, FluentBitProcess fluentBit) =>
        System.Threading.SpinWait.SpinUntil(() => fluentBit.HasExited || condition(), Hang) && !fluentBit.HasExited;
}
