using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using FluentBit.Plugins.EndToEnd.Tests.RealFluentBit.Compatibility;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// The OTLP push in real Fluent Bit 5.1.1, received by Fluent Bit's own <c>opentelemetry</c> input (an OTLP decoder
/// nobody here wrote, cmetrics' protobuf-c one) in the same process and printed by its <c>stdout</c> output: both
/// published samples' series arrive with exactly the values their endpoint serves, exemplars with the records' trace
/// id, while remote write pushes the same series beside it.
/// </summary>
[Trait("Category", FluentBitProcess.Category)]
public partial class OtlpTests(ITestOutputHelper output)
{
    private const int Records = 30;
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("cpu_exporter")]
    [InlineData("access_log_exporter")]
    public void BothSamplesPushToFluentBitsOwnOtlpInputWithExactValuesBesideRemoteWrite(string name)
    {
        CompatSample sample = CompatSample.Named(name);
        using var remoteWrite = new RemoteWriteReceiver();
        int port = Scrape.FreePort();
        int otlp = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", sample.Library,
             "-i", "dummy", "-t", "records", "-p", $"dummy={sample.Dummy}", "-p", $"samples={Records}", "-p", "rate=30",
             "-o", sample.Name, "-m", "records", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
             "-p", $"otlp_url=http://127.0.0.1:{otlp}/v1/metrics", "-p", "otlp_interval=1s",
             "-p", "otlp_resource_attributes=deployment.environment.name=test",
             "-p", $"remote_write_url={remoteWrite.Url}", "-p", "remote_write_interval=1s",
             "-i", "opentelemetry", "-t", "otlp", "-p", "listen=127.0.0.1", "-p", $"port={otlp}",
             "-o", "stdout", "-m", "otlp"],
            [$"{sample.Name}.0"]);
        run.Process.WaitForLog($@"\[ info\] \[{sample.Name}\.0\] pushing metrics to http://127\.0\.0\.1:{otlp}/v1/metrics every 1 s over OTLP \(gzip, service\.name {sample.Name}\)");
        run.WaitForProcessed($"{sample.Name}.0", Records);
        sample.AssertSeries(port, Records);
        Dictionary<string, double> served = Served(port);

        // What Fluent Bit decoded of the latest push equals what the endpoint serves, series for series.
        Dictionary<string, double> received = [];
        bool same = SpinWait.SpinUntil(() => Same(served, received = Printed(run.Process.Lines, served.Keys)), Hang);
        output.WriteLine(string.Join("\n", received.Select(r => $"{r.Key} {r.Value}")));
        Assert.True(same, $"Fluent Bit received:\n{string.Join("\n", received.Select(r => $"{r.Key} {r.Value}"))}\nserved:\n{string.Join("\n", served.Select(s => $"{s.Key} {s.Value}"))}");

        if (sample == CompatSample.AccessLog)
        {
            // The record's trace id, as bytes in OTLP, printed back as hex by Fluent Bit.
            Assert.Contains(run.Process.Lines, l => l.Contains("exemplars=[{", StringComparison.Ordinal) && l.Contains("trace_id=4bf92f3577b34da6a3ce929d0e0e4736", StringComparison.Ordinal));
        }

        // Remote write ran beside it and carried the same series.
        Assert.True(SpinWait.SpinUntil(() => remoteWrite.Pushes.Any(p => served.All(s => p.Values().GetValueOrDefault(s.Key, double.NaN) == s.Value)), Hang), "remote write never carried the served values");
        string[] failed = [.. run.Process.Lines.Where(l => l.Contains("refused a push", StringComparison.Ordinal) || l.Contains("failed (", StringComparison.Ordinal))];
        Assert.True(failed.Length == 0, string.Join("\n", failed));
        run.StopCleanly();
    }

    /// <summary>The plugin's own series as its endpoint serves them (the self-metrics move with every scrape and push).</summary>
    private static Dictionary<string, double> Served(int port) =>
        PrometheusText.Parse(Scrape.Text(port)).Where(s => !s.Key.StartsWith("fluentbit_plugin_", StringComparison.Ordinal)).ToDictionary();

    private static bool Same(Dictionary<string, double> served, Dictionary<string, double> received) =>
        served.Count > 0 && served.All(s => received.TryGetValue(s.Key, out double value) && value == s.Value);

    /// <summary>
    /// The latest value of each series Fluent Bit's stdout printed (cmetrics' text: <c>TIME name{labels} = value</c>, a
    /// histogram as <c>= { buckets = { 0.005=0, ..., +Inf=0 }, sum=S, count=C }</c>), as <see cref="PrometheusText"/>
    /// keys a scrape. Fluent Bit 5.1.1 keeps an OTLP histogram's bucket counts as they come (each bucket's own count, as
    /// OTLP defines them) and prints them so; they are summed here into the cumulative <c>_bucket</c> series Prometheus
    /// serves.
    /// </summary>
    private static Dictionary<string, double> Printed(IReadOnlyList<string> lines, IEnumerable<string> wanted)
    {
        var values = new Dictionary<string, double>();
        foreach (string line in lines)
        {
            Match m = PrintedLine().Match(line);
            if (!m.Success)
            {
                continue;
            }

            string name = m.Groups["name"].Value;
            (string, string)[] labels = [.. ExpositionLabels(m.Groups["labels"].Value)];
            string value = m.Groups["value"].Value;
            Match histogram = PrintedHistogram().Match(value);
            if (!histogram.Success)
            {
                values[PrometheusText.Key(name, labels)] = double.Parse(value, CultureInfo.InvariantCulture);
                continue;
            }

            double cumulative = 0;
            foreach (string bucket in histogram.Groups["buckets"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = bucket.Split('=');
                cumulative += double.Parse(parts[1], CultureInfo.InvariantCulture);
                values[PrometheusText.Key(name + "_bucket", [.. labels, ("le", LeOf(parts[0], wanted, name))])] = cumulative;
            }

            values[PrometheusText.Key(name + "_sum", labels)] = double.Parse(histogram.Groups["sum"].Value, CultureInfo.InvariantCulture);
            values[PrometheusText.Key(name + "_count", labels)] = double.Parse(histogram.Groups["count"].Value, CultureInfo.InvariantCulture);
        }

        return values;
    }

    /// <summary>The <c>le</c> as the endpoint writes it (prometheus-net: <c>1</c>, cmetrics prints <c>1</c> too; kept as printed unless the scrape spells it otherwise).</summary>
    private static string LeOf(string printed, IEnumerable<string> wanted, string name)
    {
        if (printed == "+Inf")
        {
            return printed;
        }

        double bound = double.Parse(printed, CultureInfo.InvariantCulture);
        foreach (string key in wanted)
        {
            Match le = Regex.Match(key, $@"^{Regex.Escape(name)}_bucket\{{.*le=""([^""]+)""");
            if (le.Success && le.Groups[1].Value != "+Inf" && double.Parse(le.Groups[1].Value, CultureInfo.InvariantCulture) == bound)
            {
                return le.Groups[1].Value;
            }
        }

        return printed;
    }

    private static IEnumerable<(string, string)> ExpositionLabels(string labels)
    {
        foreach (Match label in Regex.Matches(labels, @"([A-Za-z_][A-Za-z0-9_]*)=""((?:[^""\\]|\\.)*)"""))
        {
            yield return (label.Groups[1].Value, label.Groups[2].Value);
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT[\d:.]+Z (?<name>[A-Za-z_:][A-Za-z0-9_:]*)(?:\{(?<labels>.*)\})? = (?<value>.+)$")]
    private static partial Regex PrintedLine();

    [GeneratedRegex(@"^\{ buckets = \{ (?<buckets>[^}]*)\}, sum=(?<sum>[^,]+), count=(?<count>\d+) \}$")]
    private static partial Regex PrintedHistogram();
}
