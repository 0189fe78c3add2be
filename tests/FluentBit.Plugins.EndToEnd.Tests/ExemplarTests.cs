using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The access-log sample's exemplars from its published <c>.so</c> in tools/flb-host: on the right buckets of an
/// OpenMetrics scrape, absent from the text format, and stored by a real Prometheus 2.42
/// (<c>--enable-feature=exemplar-storage</c>) that returns them through <c>/api/v1/query_exemplars</c>.
/// </summary>
public class ExemplarTests(ITestOutputHelper output)
{
    private const string OpenMetricsAccept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";

    [Fact]
    public void TraceIdsReachTheRightBucketsAndPrometheusStoresThem()
    {
        var random = new Random(5);
        var requests = AccessLogTests.Generate(500, seed: 23)
            .Select(l => (Line: l, TraceId: string.Concat(Enumerable.Range(0, 32).Select(_ => "0123456789abcdef"[random.Next(16)]))))
            .ToList();
        double fed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var chunks = new ChunkFiles(requests.Select(r => r.Line.ToJson(allStrings: false)[..^1] + $",\"trace_id\":\"{r.TraceId}\"}}"), batch: 50);
        try
        {
            int port = Scrape.FreePort();
            using HostProcess host = HostProcess.Start(
                "-e", Artifacts.AccessLogExporter, "-o", "access_log_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
                "--chunks", chunks.Path, "--wait");
            host.WaitFor("flb-host: ready");

            string openMetrics = Scrape.Text(port, OpenMetricsAccept);
            double scraped = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            Assert.DoesNotContain(" # {", Scrape.Text(port));
            var exemplars = openMetrics.Split('\n').Where(l => l.Contains(" # {", StringComparison.Ordinal)).ToList();
            output.WriteLine(string.Join("\n", exemplars.Take(8)));

            // Which series carry one: every counter series some request fed (each takes its first record's; the gate
            // only limits later ones), and for every method of the histogram at least one bucket, the gate being per
            // series (method), not per bucket; no other.
            double[] bounds = openMetrics.Split('\n').Where(l => l.StartsWith("http_request_duration_seconds_bucket{", StringComparison.Ordinal))
                .Select(l => Bound(ExpositionParser.ParseSample(l))).Distinct().Order().ToArray();
            ExpositionSample[] carrying = exemplars.Select(ExpositionParser.ParseSample).ToArray();
            string[] fedCounters = requests.SelectMany(r => new[] { PrometheusText.Key("http_response_bytes_total", ("method", r.Line.Method)) }
                .Concat(r.Line.Status is { } status ? [PrometheusText.Key("http_requests_total", ("method", r.Line.Method), ("status", status.ToString(CultureInfo.InvariantCulture)))] : []))
                .Distinct().Order().ToArray();
            Assert.Equal(fedCounters, carrying.Where(s => s.Name != "http_request_duration_seconds_bucket").Select(s => PrometheusText.Key(s.Name, [.. s.Labels.Select(l => (l.Key, l.Value))])).Order());
            Assert.Equal(
                requests.Select(r => r.Line.Method).Distinct().Order(),
                carrying.Where(s => s.Name == "http_request_duration_seconds_bucket").Select(s => s.Labels.Single(l => l.Key == "method").Value).Distinct().Order());
            var byTrace = requests.ToDictionary(r => r.TraceId);
            foreach (string line in exemplars)
            {
                ExpositionSample sample = ExpositionParser.ParseSample(line);
                (KeyValuePair<string, string>[] labels, double value, double? timestamp) = ExpositionParser.ParseExemplar(line)!.Value;
                string traceId = Assert.Single(labels, l => l.Key == "trace_id").Value;
                AccessLogTests.AccessLine request = byTrace[traceId].Line;
                Assert.Equal(request.Method, sample.Labels.Single(l => l.Key == "method").Value);

                // Recorded while the records were applied: after they were fed and before the scrape (wall clock, ms).
                Assert.InRange(timestamp!.Value, fed - 0.001, scraped + 0.001);
                if (sample.Name == "http_request_duration_seconds_bucket")
                {
                    // The bucket the request fell in: the first whose bound is at least its time.
                    Assert.Equal(request.RequestTime, value);
                    Assert.Equal(bounds.First(b => request.RequestTime <= b), Bound(sample));
                }
                else if (sample.Name == "http_response_bytes_total")
                {
                    Assert.Equal(request.Bytes, value);
                }
                else
                {
                    // The request counter's exemplar carries its increment.
                    Assert.Equal("http_requests_total", sample.Name);
                    Assert.Equal(request.Status!.Value.ToString(CultureInfo.InvariantCulture), sample.Labels.Single(l => l.Key == "status").Value);
                    Assert.Equal(1, value);
                }
            }

            Assert.Contains(exemplars, l => l.StartsWith("http_request_duration_seconds_bucket{", StringComparison.Ordinal));
            Assert.Contains(exemplars, l => l.StartsWith("http_requests_total{", StringComparison.Ordinal));

            using PrometheusServer prometheus = PrometheusServer.Start(
                $"  - job_name: access\n    static_configs:\n      - targets: ['127.0.0.1:{port}']\n", ["--enable-feature=exemplar-storage"]);
            List<(Dictionary<string, string> Series, Dictionary<string, string> Labels, double Value)> stored = [];
            prometheus.WaitUntil(
                () => (stored = prometheus.QueryExemplars("http_request_duration_seconds_bucket")).Count > 0,
                TimeSpan.FromSeconds(60), "Prometheus stored no exemplar");
            output.WriteLine($"{stored.Count} exemplars stored, first {stored[0].Labels["trace_id"]} = {stored[0].Value}");
            Assert.All(stored, e => Assert.Equal(byTrace[e.Labels["trace_id"]].Line.RequestTime, e.Value));
            Assert.Equal(0, host.Stop());
        }
        finally
        {
            chunks.Dispose();
        }
    }

    private static double Bound(ExpositionSample bucket) =>
        double.Parse(bucket.Labels.Single(l => l.Key == "le").Value.Replace("+Inf", "Infinity"), CultureInfo.InvariantCulture);
}
