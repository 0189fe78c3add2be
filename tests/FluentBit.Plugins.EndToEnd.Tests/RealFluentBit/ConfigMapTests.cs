using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// Fluent Bit 5.1.1 checks our keys itself, against the config map the plugin registers (FluentBitConfigMap, on
/// for this repository's plugins): a misspelt key stops start-up (command line, classic file, YAML) and a hot
/// reload (the old configuration keeps running) with Fluent Bit's own message, <c>-h</c> documents every key,
/// and the keys Fluent Bit keeps for itself still work.
/// </summary>
[Trait("Category", FluentBitProcess.Category)]
public class ConfigMapTests
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fluent Bit's list of the allowed keys, as its message writes it ("a, b, and c"), made from the keys the user
    /// documentation promises rather than from the runtime's own list, which is what is under test.
    /// </summary>
    private static readonly string AllowedList =
        string.Join(", ", ConfigurationPage.Keys().SkipLast(1)) + ", and " + ConfigurationPage.Keys()[^1];

    private static string UnknownKeyMessage(string key) =>
        $"[error] [config] test_exporter: unknown configuration property '{key}'. The following properties are allowed: {AllowedList}.";

    [Theory]
    [InlineData("http_prot", "9100")]
    [InlineData("add_label", "env=prod")]
    [InlineData("series_expiry_", "1m")]
    [InlineData("self_metrics_enabled", "off")]
    public void AMisspeltKeyStopsStartUpWithFluentBitsMessage(string key, string value)
    {
        int port = Scrape.FreePort();
        using FluentBitProcess process = FluentBitProcess.Start(
            ["-e", Artifacts.TestExporter, "-i", "dummy", .. FluentBitRun.OutputArguments("test_exporter", port, $"{key}={value}")]);

        int status = process.WaitForExit(ExitBound);

        AssertRefused(process, status, key, port);
    }

    [Theory]
    [InlineData("conf")]
    [InlineData("yaml")]
    public void AMisspeltKeyInAConfigFileStopsStartUp(string format)
    {
        int port = Scrape.FreePort();
        string directory = FluentBitProcess.TempDirectory();
        string config = Path.Combine(directory, $"fluent-bit.{format}");
        File.WriteAllText(config, format == "conf" ? ClassicConfig(port, "http_prot 9100") : $$"""
            pipeline:
              inputs:
                - name: dummy
              outputs:
                - name: test_exporter
                  match: '*'
                  http_listen: 127.0.0.1
                  http_port: {{port}}
                  http_prot: 9100
            """);
        using FluentBitProcess process = FluentBitProcess.Start(["-e", Artifacts.TestExporter, "-c", config], workingDirectory: directory);

        int status = process.WaitForExit(ExitBound);

        AssertRefused(process, status, "http_prot", port);
    }

    /// <summary>A key given twice in one [OUTPUT] (Fluent Bit would hand the plugin only the first) is refused too.</summary>
    [Fact]
    public void ARepeatedKeyStopsStartUp()
    {
        int port = Scrape.FreePort();
        using FluentBitProcess process = FluentBitProcess.Start(
            ["-e", Artifacts.TestExporter, "-i", "dummy", .. FluentBitRun.OutputArguments("test_exporter", port, "add_labels=env=a", "add_labels=dc=b")]);

        int status = process.WaitForExit(ExitBound);

        Assert.True(status != 0, $"exit status {status}; log:\n{process.Log}");
        Assert.Contains("[error] [config] test_exporter: configuration property 'add_labels' is set 2 times", process.Log);
        Assert.DoesNotContain("serving metrics", process.Log);
    }

    /// <summary>
    /// A hot reload to a configuration with a misspelt key is halted before the running pipeline is touched: the old
    /// instance keeps serving and counting; a reload to a correct configuration then succeeds.
    /// </summary>
    [Fact]
    public void AHotReloadWithAMisspeltKeyIsHaltedAndTheOldConfigurationKeepsRunning()
    {
        int port = Scrape.FreePort();
        string directory = FluentBitProcess.TempDirectory();
        string config = Path.Combine(directory, "fluent-bit.conf");
        File.WriteAllText(config, ClassicConfig(port));
        using FluentBitRun run = FluentBitRun.Start(["-Y", "-e", Artifacts.TestExporter, "-c", config], ["test_exporter.0"], workingDirectory: directory);
        Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port).GetValueOrDefault("test_records_total") > 0, ExitBound));

        File.WriteAllText(config, ClassicConfig(port, "add_label env=prod"));
        run.Process.Signal(FluentBitProcess.SigHup);
        run.Process.WaitForLog(Regex.Escape("reloaded config is invalid. Reloading is halted"), ExitBound);
        Assert.Contains(UnknownKeyMessage("add_label"), run.Process.Log);

        // Still the first instance: its endpoint answers and its count keeps growing.
        double before = Scrape.Metrics(port)["test_records_total"];
        Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port)["test_records_total"] > before, ExitBound), run.Process.Log);
        Assert.Equal(1, run.Process.Count(@"\[ info\] \[test_exporter\.0\] serving metrics at"));
        Assert.Equal(0, run.Process.Count(@"\[reload\] successful reload done"));

        // Fluent Bit ignores a SIGHUP for 1 s after a halted reload ("reloading in progress, aborting"): signal until one is taken.
        File.WriteAllText(config, ClassicConfig(port, "add_labels env=prod"));
        Assert.True(
            SpinWait.SpinUntil(
                () =>
                {
                    run.Process.Signal(FluentBitProcess.SigHup);
                    return SpinWait.SpinUntil(() => run.Process.Count(@"\[reload\] successful reload done") == 1 || run.Process.HasExited, TimeSpan.FromSeconds(5));
                },
                ExitBound),
            run.Process.Log);
        Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port).Keys.Any(k => k.StartsWith("test_records_total{env=\"prod\"", StringComparison.Ordinal)), ExitBound), run.Process.Log);
        run.StopCleanly();
    }

    /// <summary><c>fluent-bit -e x.so -o NAME -h</c> lists every key with its description, default and type.</summary>
    [Fact]
    public void HelpListsEveryKeyWithItsDefaultAndDescription()
    {
        using FluentBitProcess process = FluentBitProcess.Start(["-e", Artifacts.TestExporter, "-o", "test_exporter", "-h"]);

        Assert.Equal(0, process.WaitForExit(ExitBound));

        // The help wraps long descriptions: compare with the text's whitespace collapsed.
        string log = Regex.Replace(process.Log, @"\s+", " ");
        Assert.Contains("Test fixture: counts records and throws on demand", log);
        foreach (ConfigKey key in ConfigKeys.All)
        {
            string defaultText = key.Name == ConfigKeys.HttpPort ? "8990" : key.Default ?? "default";
            string type = key.Type.ToString().ToLowerInvariant();
            Assert.Contains($"{key.Name} {key.Description} > default: {defaultText}, type: {type}", log);
        }
    }

    /// <summary>
    /// The keys Fluent Bit keeps for itself never meet the map (and still act: 2 workers, each started twice by the
    /// defect docs/compatibility.md names); a key in another case is the same key, and takes effect: the endpoint is on
    /// the port and address given, without self-metrics, with the added label.
    /// </summary>
    [Fact]
    public void FluentBitsOwnKeysAndAnyCaseStillWork()
    {
        int port = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.TestExporter, "-i", "dummy", "-p", "rate=20",
             "-o", "test_exporter", "-p", "match=*", "-p", "workers=2", "-p", "log_level=info", "-p", "retry_limit=3",
             "-p", "log_suppress_interval=5s", "-p", "HTTP_Listen=127.0.0.1", "-p", $"Http_Port={port}", "-p", "SELF_METRICS=off", "-p", "Add_Labels=env=case"],
            ["test_exporter.0"]);

        string records = PrometheusText.Key("test_records_total", ("env", "case"));
        Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port).GetValueOrDefault(records) > 0, ExitBound), run.Process.Log);
        Assert.DoesNotContain("[config]", run.Process.Log);
        Assert.DoesNotContain(Scrape.SelfMetricsPrefix, Scrape.Text(port));
        Assert.Equal(4, run.Process.Count(@"\[output:test_exporter:test_exporter\.0\] worker #[01] started"));
        run.StopCleanly();
    }

    private static void AssertRefused(FluentBitProcess process, int status, string key, int port)
    {
        Assert.True(status != 0, $"exit status {status}; log:\n{process.Log}");
        Assert.Contains(UnknownKeyMessage(key), process.Log);
        Assert.Contains("[engine] output initialization failed", process.Log);
        Assert.DoesNotContain("SIGSEGV", process.Log);

        // Refused before FLBPluginInit: the plugin logged nothing and served nothing.
        Assert.DoesNotContain("[test_exporter.0]", process.Log);
        Assert.False(Scrape.IsListening(port));
    }

    private static string ClassicConfig(int port, string extra = "") => $$"""
        [SERVICE]
            flush 1
        [INPUT]
            name  dummy
            dummy {"status":200}
            rate  20
        [OUTPUT]
            name        test_exporter
            match       *
            http_listen 127.0.0.1
            http_port   {{port}}
            {{extra}}
        """;
}
