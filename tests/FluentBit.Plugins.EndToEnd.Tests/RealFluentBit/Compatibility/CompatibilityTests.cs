using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit.Compatibility;

/// <summary>
/// The compatibility tier: both published samples in the Fluent Bit that <c>FLUENT_BIT</c> names, whichever of the
/// tested lines it is (<see cref="FluentBitLines.Tested"/>). ./test.sh runs it once per binary in
/// <c>FLUENT_BIT_COMPAT</c>; .ci/run builds all five. Each run: loaded every way the version has, records in through
/// dummy, tail and cpu, exact series scraped, two instances with two workers each, a hot reload, Register and Init
/// under valgrind, a misspelt key, and SIGTERM ending every run with status 0.
/// </summary>
[Trait("Category", Category)]
public class CompatibilityTests
{
    public const string Category = "Compatibility";

    private const int Samples = 40;

    private static Version Version => FluentBitProcess.Version;

    [Theory]
    [InlineData("cpu_exporter", "-e")]
    [InlineData("cpu_exporter", "plugins_file")]
    [InlineData("cpu_exporter", "yaml")]
    [InlineData("access_log_exporter", "-e")]
    [InlineData("access_log_exporter", "plugins_file")]
    [InlineData("access_log_exporter", "yaml")]
    public void EachWayToLoadTheSampleServesExactSeries(string name, string how)
    {
        CompatSample sample = CompatSample.Named(name);
        string directory = FluentBitProcess.TempDirectory();
        int port = Scrape.FreePort();
        string[] arguments = how switch
        {
            "-e" => ["-e", sample.Library, .. DummyInput(sample, Samples), .. FluentBitRun.OutputArguments(sample.Name, port)],
            "plugins_file" => ["-c", WriteClassicConfig(directory, sample, port, withPluginsFile: true)],
            _ => ["-c", WriteYamlConfig(directory, sample, port)],
        };

        if (how == "yaml" && !FluentBitLines.YamlPlugins(Version))
        {
            // 2.2's YAML has no plugins list: Fluent Bit refuses the file, before any plugin is loaded.
            using FluentBitProcess refused = FluentBitProcess.Start(arguments, workingDirectory: directory);
            Assert.NotEqual(0, refused.WaitForExit());
            Assert.DoesNotContain("serving metrics", refused.Log);
            return;
        }

        using FluentBitRun run = FluentBitRun.Start(arguments, [$"{sample.Name}.0"], workingDirectory: directory);
        run.WaitForProcessed($"{sample.Name}.0", Samples);
        sample.AssertSeries(port, Samples);
        run.StopCleanly();
    }

    [Theory]
    [InlineData("cpu_exporter")]
    [InlineData("access_log_exporter")]
    public void TwoInstancesWithTwoWorkersEachCountEveryRecord(string name)
    {
        CompatSample sample = CompatSample.Named(name);
        int[] ports = [Scrape.FreePort(), Scrape.FreePort()];
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", sample.Library, .. DummyInput(sample, 200),
             .. FluentBitRun.OutputArguments(sample.Name, ports[0], "workers=2"), .. FluentBitRun.OutputArguments(sample.Name, ports[1], "workers=2")],
            [$"{sample.Name}.0", $"{sample.Name}.1"]);
        run.WaitForProcessed($"{sample.Name}.0", 200);
        run.WaitForProcessed($"{sample.Name}.1", 200);
        sample.AssertSeries(ports[0], 200);
        sample.AssertSeries(ports[1], 200);
        // Every tested version starts a proxy output's worker pool twice (2N "started" lines for workers N) and stops it once.
        Assert.Equal(4, run.Process.Count($@"\[output:{sample.Name}:{sample.Name}\.1\] worker #[01] started"));
        run.StopCleanly();
    }

    /// <summary>-Y and SIGHUP: a new instance on the same port, counting again from zero; then SIGTERM exits 0.</summary>
    [Theory]
    [InlineData("cpu_exporter")]
    [InlineData("access_log_exporter")]
    public void HotReloadBySighupRecreatesTheInstance(string name)
    {
        CompatSample sample = CompatSample.Named(name);
        string directory = FluentBitProcess.TempDirectory();
        int port = Scrape.FreePort();
        string config = WriteClassicConfig(directory, sample, port, withPluginsFile: false, samples: 0);
        using FluentBitRun run = FluentBitRun.Start(["-Y", "-e", sample.Library, "-c", config], [$"{sample.Name}.0"], workingDirectory: directory);
        Assert.True(SpinWait.SpinUntil(() => Scrape.RecordsDecoded(port) > 0, TimeSpan.FromSeconds(60)), run.Process.Log);

        // 2.2 and 3.2 log no "successful reload done" line: the second Init's line marks the reload.
        run.Process.Signal(FluentBitProcess.SigHup);
        Assert.True(SpinWait.SpinUntil(() => run.Process.Count($@"\[ info\] \[{sample.Name}\.0\] serving metrics at") == 2 || run.Process.HasExited, TimeSpan.FromSeconds(60)), run.Process.Log);
        Assert.Equal(1, run.Process.Count(@"\[reload\] start everything"));
        Assert.Equal(0, PrometheusScrapes(port));
        Assert.True(SpinWait.SpinUntil(() => Scrape.RecordsDecoded(port) > 0, TimeSpan.FromSeconds(60)), $"no record after the reload; log:\n{run.Process.Log}");
        run.StopCleanly();
    }

    /// <summary>
    /// Register, Init, flushes and a scrape under valgrind: no invalid read or write. The .so is a copy without the
    /// <c>.dbg</c> file NativeAOT writes beside it, whose DWARF 5 Debian's valgrind cannot read.
    /// </summary>
    [Theory]
    [InlineData("cpu_exporter")]
    [InlineData("access_log_exporter")]
    public void RegisterAndInitUnderValgrindReadAndWriteOnlyWhatIsTheirs(string name)
    {
        CompatSample sample = CompatSample.Named(name);
        string directory = FluentBitProcess.TempDirectory();
        string library = Path.Combine(directory, Path.GetFileName(sample.Library));
        File.Copy(sample.Library, library);
        int port = Scrape.FreePort();
        using FluentBitProcess process = FluentBitProcess.Start(
            ["-f", "1", "-e", library, .. DummyInput(sample, 5), .. FluentBitRun.OutputArguments(sample.Name, port)],
            workingDirectory: directory,
            under: ["valgrind", "--error-limit=no", "--num-callers=30"]);
        process.WaitForLog($@"\[ info\] \[{sample.Name}\.0\] serving metrics at", TimeSpan.FromSeconds(300));
        Assert.True(SpinWait.SpinUntil(() => Scrape.RecordsDecoded(port) == 5 || process.HasExited, TimeSpan.FromSeconds(120)), process.Log);
        sample.AssertSeries(port, 5);
        Assert.Equal(0, process.Terminate());

        string[] invalid = process.Lines.Where(l => Regex.IsMatch(l, @"==\d+== (Invalid (read|write|free)|Mismatched free|Source and destination overlap)")).ToArray();
        Assert.True(invalid.Length == 0, $"valgrind reported {invalid.Length} invalid accesses; log:\n{process.Log}");
        Assert.Contains("ERROR SUMMARY:", process.Log);
    }

    /// <summary>
    /// A misspelt key (<c>http_prot</c>): Fluent Bit refuses it where it reads the plugin's config map (5.1.1 and later);
    /// before that it never reaches the plugin, which starts and says at Init that names are not checked.
    /// </summary>
    [Theory]
    [InlineData("cpu_exporter")]
    [InlineData("access_log_exporter")]
    public void AMisspeltKeyIsRefusedWhereFluentBitChecksKeys(string name)
    {
        CompatSample sample = CompatSample.Named(name);
        int port = Scrape.FreePort();
        string[] arguments = ["-e", sample.Library, .. DummyInput(sample, Samples), .. FluentBitRun.OutputArguments(sample.Name, port, "http_prot=9100")];
        if (FluentBitLines.ChecksKeys(Version))
        {
            using FluentBitProcess refused = FluentBitProcess.Start(arguments);
            Assert.NotEqual(0, refused.WaitForExit());
            Assert.Contains($"[config] {sample.Name}: unknown configuration property 'http_prot'.", refused.Log);
            Assert.DoesNotContain("serving metrics", refused.Log);
            return;
        }

        using FluentBitRun run = FluentBitRun.Start(arguments, [$"{sample.Name}.0"]);
        run.Process.WaitForLog(Regex.Escape($"Fluent Bit {Version}: no config map registered (Fluent Bit reads one from 5.1.1 on); a misspelt key name is not refused"));
        run.WaitForProcessed($"{sample.Name}.0", Samples);
        sample.AssertSeries(port, Samples);
        Assert.False(Scrape.IsListening(9100));
        run.StopCleanly();
    }

    /// <summary>A key the plugin knows people reach for (<c>metrics_port</c>) is refused in every version: by Fluent Bit's map, or by Init.</summary>
    [Fact]
    public void ALikelyWrongKeyIsRefusedInEveryVersion()
    {
        int port = Scrape.FreePort();
        using FluentBitProcess refused = FluentBitProcess.Start(
            ["-e", CompatSample.Cpu.Library, .. DummyInput(CompatSample.Cpu, 1), .. FluentBitRun.OutputArguments(CompatSample.Cpu.Name, port, "metrics_port=9100")]);
        Assert.NotEqual(0, refused.WaitForExit());
        Assert.Contains(FluentBitLines.ChecksKeys(Version) ? "unknown configuration property 'metrics_port'" : "metrics_port", refused.Log);
        Assert.DoesNotContain("serving metrics", refused.Log);
    }

    /// <summary>
    /// Fluent Bit's own cpu input into the cpu sample: every record it delivered is decoded. A record every 3 s leaves quiet
    /// windows in which Fluent Bit's own figures, a snapshot it refreshes about every second, agree with the plugin's.
    /// </summary>
    [Fact]
    public void TheCpuInputFeedsTheCpuSample()
    {
        int port = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.CpuExporter, "-i", "cpu", "-p", "interval_sec=3", "-t", "cpu.local", .. FluentBitRun.OutputArguments("cpu_exporter", port)],
            ["cpu_exporter.0"]);
        Assert.True(SpinWait.SpinUntil(() => Scrape.RecordsDecoded(port) >= 2, TimeSpan.FromSeconds(60)), run.Process.Log);
        Assert.Contains(PrometheusTextKey("all", "total"), Scrape.Metrics(port).Keys);
        Assert.Contains(PrometheusTextKey("cpu0", "user"), Scrape.Metrics(port).Keys);
        double decoded = 0, delivered = 0;
        Assert.True(SpinWait.SpinUntil(
            () => (decoded = Scrape.RecordsDecoded(port)) == (delivered = run.Output("proc_records", "cpu_exporter.0")) && decoded == Scrape.RecordsDecoded(port),
            TimeSpan.FromSeconds(60)), $"decoded {decoded}, Fluent Bit delivered {delivered}");
        run.StopCleanly();
    }

    /// <summary>Fluent Bit's tail input with the json parser into the access-log sample: exact counts.</summary>
    [Fact]
    public void TheTailInputFeedsTheAccessLogSample()
    {
        const int Lines = 300;
        string directory = FluentBitProcess.TempDirectory();
        string log = Path.Combine(directory, "access.log");
        File.WriteAllLines(log, Enumerable.Repeat(CompatSample.AccessLog.Dummy, Lines));
        File.WriteAllText(Path.Combine(directory, "parsers.conf"), "[PARSER]\n    Name   json\n    Format json\n");
        int port = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-R", Path.Combine(directory, "parsers.conf"), "-e", Artifacts.AccessLogExporter,
             "-i", "tail", "-p", $"path={log}", "-p", "read_from_head=on", "-p", "parser=json", "-t", "access",
             .. FluentBitRun.OutputArguments("access_log_exporter", port)],
            ["access_log_exporter.0"], workingDirectory: directory);
        run.WaitForProcessed("access_log_exporter.0", Lines);
        CompatSample.AccessLog.AssertSeries(port, Lines);
        run.StopCleanly();
    }

    private static string PrometheusTextKey(string cpu, string mode) => FluentBit.Plugins.Testing.PrometheusText.Key("cpu_usage_percent", ("cpu", cpu), ("mode", mode));

    private static double PrometheusScrapes(int port) => Scrape.SelfMetrics(port)["fluentbit_plugin_scrape_duration_seconds_count"];

    /// <summary>dummy with the sample's record: <paramref name="samples"/> of them (0: without end) at 100 a second.</summary>
    private static string[] DummyInput(CompatSample sample, int samples) =>
        ["-i", "dummy", "-p", $"dummy={sample.Dummy}", "-p", "rate=100", .. samples > 0 ? new[] { "-p", $"samples={samples}" } : [], "-t", "compat"];

    private static string WriteClassicConfig(string directory, CompatSample sample, int port, bool withPluginsFile, int samples = Samples)
    {
        string plugins = "";
        if (withPluginsFile)
        {
            File.WriteAllText(Path.Combine(directory, "plugins.conf"), $"[PLUGINS]\n    path {sample.Library}\n");
            plugins = "    plugins_file plugins.conf\n";
        }

        string path = Path.Combine(directory, "fluent-bit.conf");
        File.WriteAllText(path, $$"""
            [SERVICE]
                flush        1
            {{plugins}}
            [INPUT]
                name    dummy
                dummy   {{sample.Dummy}}
                rate    100
            {{(samples > 0 ? $"    samples {samples}" : "")}}

            [OUTPUT]
                name        {{sample.Name}}
                match       *
                http_listen 127.0.0.1
                http_port   {{port}}
            """);
        return path;
    }

    private static string WriteYamlConfig(string directory, CompatSample sample, int port)
    {
        string path = Path.Combine(directory, "fluent-bit.yaml");
        File.WriteAllText(path, $$"""
            service:
              flush: 1
            plugins:
              - {{sample.Library}}
            pipeline:
              inputs:
                - name: dummy
                  dummy: '{{sample.Dummy}}'
                  samples: {{Samples}}
                  rate: 100
              outputs:
                - name: {{sample.Name}}
                  match: '*'
                  http_listen: 127.0.0.1
                  http_port: {{port}}
            """);
        return path;
    }
}
