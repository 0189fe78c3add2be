using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentBit.Plugins.TestKit;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// What Fluent Bit does to a plugin that tests in process cannot, in the host because real Fluent Bit cannot be made to
/// show it: coroutine stacks of an exact small size (24 KiB, the size before Fluent Bit 5) with a guard page below,
/// deep nesting on them, and a limit on the process's address space with two plugins in it. Hot reloads are checked in
/// real Fluent Bit (RealFluentBit/LifecycleTests).
/// </summary>
public class HardeningHostTests(ITestOutputHelper output)
{
    /// <summary>The hook runs on the instance's own 8 MiB stack: 256 KiB of it under a 24 KiB coroutine.</summary>
    [Fact]
    public void AHookUsing256KiBOfStackRunsUnderA24KiBCoroutineStack()
    {
        int port = Scrape.FreePort();
        using var input = new ChunkFiles(["{\"kib\": 256}", "{\"kib\": 3}", "{\"kib\": 1000}"]);
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.StackExporter, "-o", "stack_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", "-p", "workers=2",
            "--chunks", input.Path, "--stack-size", "24576", "--wait");
        host.WaitFor("flb-host: ready");

        Dictionary<string, double> metrics = Scrape.Metrics(port);
        Assert.Equal(3, metrics["stack_records_total"]);
        Assert.Equal(1259, metrics["stack_kib_total"]);
        Assert.Equal(0, host.Stop());
        Assert.Contains("flb-host: output stack_exporter.0: flushes=3 ok=3 error=0 retry=0 records=3", host.Stderr);
    }

    /// <summary>
    /// A hook that recurses without end stops the process when it reaches the guard page of its own stack, 8 MiB
    /// down, after the records before it were applied: on Fluent Bit's coroutine stack, which has no guard page, it
    /// would have written over whatever memory lies below.
    /// </summary>
    [Fact]
    public void ARunawayHookStopsTheProcessAtItsOwnGuardPage()
    {
        int port = Scrape.FreePort();
        using var input = new ChunkFiles(["{\"kib\": 512}", "{\"kib\": 100000}"]);
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.StackExporter, "-o", "stack_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
            "--chunks", input.Path, "--stack-size", "24576");

        int status = host.WaitForExit();

        // SIGSEGV at the guard page (NativeAOT reports no managed stack overflow; SIGABRT if a runtime ever does).
        Assert.True(status is 128 + 11 or 128 + 6, $"exit status {status}; stderr:\n{host.Stderr}");
        Assert.DoesNotContain("flb-host: output stack_exporter.0:", host.Stderr);
    }

    /// <summary>
    /// A plugin without a hook decodes on the coroutine stack: 10,000 levels of nesting where its record accessor
    /// descends ($nested['value']), where it reads a value (status) and where it reads nothing, on 24 KiB.
    /// </summary>
    [Fact]
    public void DeepNestingOnTheCoroutineStackOfAPluginWithoutHook()
    {
        const int Levels = 10_000;
        byte[] chunk = new ChunkBuilder()
            .Event(new Dictionary<string, object?> { ["status"] = 200L, ["nested"] = new Dictionary<string, object?> { ["value"] = 1.5 } })
            .Event(new Dictionary<string, object?> { ["status"] = MessagePackValue.Nested(Levels), ["latency"] = 0.5 })
            .Event(new Dictionary<string, object?> { ["status"] = 1L, ["nested"] = new Dictionary<string, object?> { ["value"] = MessagePackValue.Nested(Levels, maps: true) } })
            .Event(new Dictionary<string, object?> { ["status"] = 2L, ["nested"] = MessagePackValue.Nested(Levels) })
            .Event(new Dictionary<string, object?> { ["status"] = 3L, ["other"] = MessagePackValue.Nested(Levels, maps: true) }, new() { ["deep"] = MessagePackValue.Nested(Levels) })
            .ToArray();
        using var chunks = new TempFile(chunk);
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.TestExporter, "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
            "--chunks", chunks.Path, "--stack-size", "24576", "--wait");
        host.WaitFor("flb-host: ready");

        Dictionary<string, double> metrics = Scrape.Metrics(port);
        Assert.Equal(5, metrics["test_records_total"]);
        Assert.Equal(206, metrics["test_status_sum_total"]);
        Assert.Equal(1.5, metrics["test_nested_value"]);
        Dictionary<string, double> self = Scrape.SelfMetrics(port);
        Assert.Equal(1, self[PrometheusText.Key("fluentbit_plugin_values_skipped_total", ("metric", "test_status_sum_total"), ("reason", "invalid_value"))]);
        Assert.Equal(1, self[PrometheusText.Key("fluentbit_plugin_values_skipped_total", ("metric", "test_nested_value"), ("reason", "invalid_value"))]);
        Assert.Equal(0, host.Stop());

        // The host counts events with msgpack-c, which (as in Fluent Bit) reads 32 levels at most: it warns and cannot count them.
        Assert.Contains("flb-host: output test_exporter.0: flushes=1 ok=1 error=0 retry=0 ", host.Stderr);
    }

    /// <summary>
    /// Under an 8 GiB limit on address space, two plugins in one process start and serve: each runtime's GC reserves
    /// the 1 GiB built in, not twice the machine's memory. The built-in range can be overridden at run time, and an
    /// override too large for the limit fails as the runtime's default would.
    /// </summary>
    [Fact]
    public void TwoPluginsServeUnderAnEightGiBAddressSpaceLimit()
    {
        const long Limit = 8L * 1024 * 1024;
        int cpuPort = Scrape.FreePort();
        int testPort = Scrape.FreePort();
        string[] arguments =
        [
            "-e", Artifacts.CpuExporter, "-e", Artifacts.TestExporter,
            "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={cpuPort}",
            "-o", "test_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={testPort}", "-p", "workers=2",
            "--chunks", Path.Combine(Vectors.Root, "cpu"), "--wait",
        ];
        using (HostProcess host = HostProcess.StartLimited(Limit, [], arguments))
        {
            host.WaitFor("flb-host: ready");
            Assert.Equal(CpuSeries.After0003, Scrape.Metrics(cpuPort));
            Assert.Equal(4, Scrape.Metrics(testPort)["test_records_total"]);
            long virtualKiB = ProcessStatus(host.Id, "VmSize");
            output.WriteLine($"two plugins under ulimit -v {Limit}: VmSize {virtualKiB:N0} KiB");
            Assert.True(virtualKiB < Limit / 2, $"VmSize {virtualKiB} KiB");
            Assert.Equal(0, host.Stop());
        }

        // 64 GiB per runtime (hexadecimal, as the runtime reads DOTNET_ variables): what the default reserves on a big machine.
        using HostProcess overridden = HostProcess.StartLimited(Limit, [("DOTNET_GCRegionRange", "1000000000")], arguments);
        Assert.NotEqual(0, overridden.WaitForExit());
        Assert.Contains(".NET runtime failed to initialize", overridden.Stderr);
    }

    /// <summary>A value of /proc/PID/status, such as VmSize (KiB) or Threads.</summary>
    internal static long ProcessStatus(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', '\t').Last(p => p.Length > 0 && char.IsDigit(p[0])));
}

/// <summary>A temporary file of bytes, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    public TempFile(byte[] bytes)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fbp-{Guid.NewGuid():N}.msgpack");
        File.WriteAllBytes(Path, bytes);
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
