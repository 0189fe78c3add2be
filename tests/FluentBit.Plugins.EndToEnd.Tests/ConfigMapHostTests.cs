using System.IO;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The config map a plugin built with FluentBitConfigMap registers, as tools/flb-host checks it (layout, types,
/// terminator, then each instance's keys before FLBPluginInit), and what it means for a Fluent Bit older than 5.1.1,
/// whose smaller definition the host places before a guard page.
/// </summary>
public class ConfigMapHostTests
{
    private static readonly string CpuChunks = Path.Combine(Vectors.Root, "cpu");

    [Fact]
    public void TheMapHoldsEveryKeyAndAnUnknownKeyFailsBeforeInit()
    {
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", "-p", "http_prot=9100",
            "--chunks", CpuChunks);

        Assert.Equal(3, host.WaitForExit());
        Assert.Contains($"registered a config map of {ConfigKeys.All.Length} keys", host.Stderr);
        Assert.Contains("[error] [config] cpu_exporter: unknown configuration property 'http_prot'. The following properties are allowed: http_listen, http_port,", host.Stderr);
        Assert.Contains("FLBPluginInit not called", host.Stderr);
        Assert.DoesNotContain("serving metrics", host.Stderr);
    }

    /// <summary>
    /// A plugin built with the map, loaded into a Fluent Bit before 5.1.1 (a 40-byte definition), writes past its end:
    /// the guard page turns that silent heap corruption into a crash. Hence the opt-in; the package test loads a plugin built
    /// without it the same way and it runs.
    /// </summary>
    [Fact]
    public void ThePluginWithAMapFaultsOnTheOldDefinition()
    {
        using HostProcess host = HostProcess.Start("-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "--chunks", CpuChunks, "--proxy-def-size", "40");

        // SIGSEGV in the write; .NET turns a fault in managed code into a fail-fast, so the process ends on SIGABRT.
        Assert.Equal(128 + 6, host.WaitForExit());
        Assert.DoesNotContain("serving metrics", host.Stderr);
    }
}
