using System.IO;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The definition FLBPluginRegister fills, in the sizes of older Fluent Bit versions (40 bytes up to 5.1.0, 32 up to
/// 4.1), each ending at a guard page in tools/flb-host, and the version the host's --version reports: real Fluent Bit
/// cannot be made to show what a plugin writes past a smaller definition. The config map itself, which the plugin
/// registers in the 48 bytes of 5.1.1, is checked by Fluent Bit 5.1.1 (RealFluentBit/ConfigMapTests).
/// </summary>
public class DefinitionSizeHostTests
{
    private static readonly string CpuChunks = Path.Combine(Vectors.Root, "cpu");

    /// <summary>
    /// In a Fluent Bit before 5.1.1 (a 40-byte definition up to 5.1.0, 32 bytes up to 4.1, each ending at a guard page in
    /// the host) the plugin writes no config map, nor anything past the definition, and says so at Init.
    /// </summary>
    [Theory]
    [InlineData("40", "5.1.0")]
    [InlineData("32", "4.1.1")]
    public void BeforeFluentBit511NothingIsWrittenPastTheDefinition(string size, string version)
    {
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", "-p", "http_prot=9100",
            "--chunks", CpuChunks, "--proxy-def-size", size);

        Assert.Equal(0, host.WaitForExit());
        Assert.Contains($"[info] [cpu_exporter.0] Fluent Bit {version}: no config map registered (Fluent Bit reads one from 5.1.1 on); a misspelt key name is not refused", host.Stderr);
        Assert.Contains("flb-host: output cpu_exporter.0: flushes=4 ok=4", host.Stderr);
    }

    /// <summary>
    /// The plugin trusts the version the executable reports: a host that reports 5.1.1 over a 40-byte definition gets the
    /// map written past its end, and the guard page turns that into a crash. This is what the version check prevents.
    /// </summary>
    [Fact]
    public void TheMapIsWrittenWhereTheVersionSaysTheFieldIs()
    {
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "--chunks", CpuChunks, "--proxy-def-size", "40", "--fluent-bit-version", "5.1.1");

        // SIGSEGV in the write; .NET turns a fault in managed code into a fail-fast, so the process ends on SIGABRT.
        Assert.Equal(128 + 6, host.WaitForExit());
        Assert.DoesNotContain("serving metrics", host.Stderr);
    }

    /// <summary>A Fluent Bit older than the oldest tested line gets a warning at Init, and the plugin still runs safely.</summary>
    [Fact]
    public void AFluentBitOlderThanTestedGetsAWarning()
    {
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
            "--chunks", CpuChunks, "--proxy-def-size", "32", "--fluent-bit-version", "1.9.10");

        Assert.Equal(0, host.WaitForExit());
        Assert.Contains("[warn] [cpu_exporter.0] Fluent Bit 1.9.10 is older than 2.2, the oldest line this plugin is tested in; upgrade Fluent Bit", host.Stderr);
        Assert.Contains("flb-host: output cpu_exporter.0: flushes=4 ok=4", host.Stderr);
    }
}
