using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using FluentBit.Plugins.TestKit;
using Xunit;

namespace AccessLogExporter.Tests;

/// <summary>The access-log sample, run in-process by the test kit: its own sample log, typed and all-string records, skips.</summary>
public class AccessLogExporterTests
{
    private static readonly string SampleLog = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sample-access.jsonl"));

    [Fact]
    public void OneRequestFeedsEveryFamily()
    {
        var plugin = new PluginHarness<AccessLogExporter>();
        Assert.Equal("access_log_exporter", plugin.PluginName);

        plugin.Send(new { remote = "10.0.0.7", method = "GET", path = "/api/items", status = 200, bytes = 5120, request_time = 0.042 });

        Assert.Equal(1, plugin.Value("http_requests_total", ("method", "GET"), ("status", "200")));
        Assert.Equal(5120, plugin.Value("http_response_bytes_total", ("method", "GET")));
        Assert.Equal(1, plugin.Value("http_request_duration_seconds_count", ("method", "GET")));
        Assert.Equal(0.042, plugin.Value("http_request_duration_seconds_sum", ("method", "GET")));
        Assert.Equal(0, plugin.Value("http_request_duration_seconds_bucket", ("method", "GET"), ("le", "0.025")));
        Assert.Equal(1, plugin.Value("http_request_duration_seconds_bucket", ("method", "GET"), ("le", "0.05")));
        Assert.Equal(1, plugin.Value("http_request_duration_seconds_bucket", ("method", "GET"), ("le", "+Inf")));
    }

    [Fact]
    public void ATraceIdBecomesTheExemplarOfTheBucketTheRequestFellInAndOfItsCounters()
    {
        var plugin = new PluginHarness<AccessLogExporter>();

        plugin.Send(new { method = "GET", status = 200, bytes = 5120, request_time = 0.042, trace_id = "4bf92f3577b34da6a3ce929d0e0e4736" });
        plugin.Send(new { method = "GET", status = 200, bytes = 10, request_time = 3.5, trace_id = "00000000000000000000000000000001" });

        MetricExemplar? bucket = plugin.Exemplar("http_request_duration_seconds_bucket", ("method", "GET"), ("le", "0.05"));
        Assert.NotNull(bucket);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", bucket.Label("trace_id"));
        Assert.Equal(0.042, bucket.Value);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", plugin.Exemplar("http_requests_total", ("method", "GET"), ("status", "200"))?.Label("trace_id"));
        Assert.Equal(5120, plugin.Exemplar("http_response_bytes_total", ("method", "GET"))?.Value);

        // A series takes one exemplar per 5 s: the second request, a moment later, left none on its bucket.
        Assert.Null(plugin.Exemplar("http_request_duration_seconds_bucket", ("method", "GET"), ("le", "5")));

        // The text format 0.0.4 has no exemplars.
        Assert.DoesNotContain("# {", plugin.Exposition());
    }

    [Fact]
    public void AnIdThatCannotBeAnExemplarIsCountedAndTheRequestStillCounts()
    {
        var plugin = new PluginHarness<AccessLogExporter>();

        plugin.Send(new { method = "GET", status = 200, bytes = 1, request_time = 0.1, trace_id = "caf\u00e9" });
        plugin.Send(new { method = "GET", status = 200, bytes = 1, request_time = 0.1, trace_id = 42 });

        Assert.Equal(2, plugin.Value("http_requests_total", ("method", "GET"), ("status", "200")));
        Assert.Equal(2, plugin.Skips("http_requests_total").InvalidExemplar);
        Assert.Equal(2, plugin.Skips("http_request_duration_seconds").InvalidExemplar);
        Assert.Equal(0, plugin.Skips("http_requests_total").Total);
        Assert.Null(plugin.Exemplar("http_requests_total", ("method", "GET"), ("status", "200")));
    }

    [Fact]
    public void TheSampleLogGivesTheTotalsComputedFromIt()
    {
        var plugin = new PluginHarness<AccessLogExporter>();
        Assert.Equal(200, plugin.SendJsonLines(SampleLog, tag: "access"));

        var requests = new Dictionary<(string, string), int>();
        var bytes = new Dictionary<string, long>();
        var durations = new Dictionary<string, int>();
        int withoutStatus = 0;
        foreach (string line in SampleLog.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using JsonDocument json = JsonDocument.Parse(line);
            string method = json.RootElement.GetProperty("method").GetString()!;
            if (json.RootElement.TryGetProperty("status", out JsonElement statusValue))
            {
                string status = statusValue.GetInt32().ToString(CultureInfo.InvariantCulture);
                requests[(method, status)] = requests.GetValueOrDefault((method, status)) + 1;
            }
            else
            {
                withoutStatus++;
            }

            bytes[method] = bytes.GetValueOrDefault(method) + json.RootElement.GetProperty("bytes").GetInt64();
            durations[method] = durations.GetValueOrDefault(method) + 1;
        }

        foreach (((string method, string status), int count) in requests)
        {
            Assert.Equal(count, plugin.Value("http_requests_total", ("method", method), ("status", status)));
        }

        foreach ((string method, long total) in bytes)
        {
            Assert.Equal(total, plugin.Value("http_response_bytes_total", ("method", method)));
            Assert.Equal(durations[method], plugin.Value("http_request_duration_seconds_count", ("method", method)));
        }

        Assert.Equal(requests.Count, plugin.Samples("http_requests_total").Count);
        Assert.Equal(withoutStatus, plugin.Skips("http_requests_total").MissingLabel);
        Assert.Equal(withoutStatus, plugin.Skips("http_requests_total").Total);
    }

    [Fact]
    public void AllStringValuesAsARegexParserGivesThemCountTheSame()
    {
        var typed = new PluginHarness<AccessLogExporter>();
        var strings = new PluginHarness<AccessLogExporter>();
        typed.SendJsonLines("""
            {"method":"POST","status":201,"bytes":10,"request_time":0.2}
            {"method":"POST","status":201,"bytes":30,"request_time":1.5}
            """);
        strings.SendJsonLines("""
            {"method":"POST","status":"201","bytes":"10","request_time":"0.2"}
            {"method":"POST","status":"201","bytes":"30","request_time":"1.5"}
            """);

        Assert.Equal(typed.Samples().Select(s => s.ToString()), strings.Samples().Select(s => s.ToString()));
        Assert.Equal(2, strings.Value("http_requests_total", ("method", "POST"), ("status", "201")));
        Assert.Equal(40, strings.Value("http_response_bytes_total", ("method", "POST")));
        Assert.Equal(1.7, strings.Value("http_request_duration_seconds_sum", ("method", "POST"))!.Value, 10);
    }

    [Fact]
    public void ALineWithoutStatusSkipsOnlyTheRequestCounterAndIsCounted()
    {
        var plugin = new PluginHarness<AccessLogExporter>();
        plugin.Send(new { method = "GET", bytes = 100, request_time = 0.3 });
        plugin.Send(new { method = "GET", status = "teapot", bytes = -5, request_time = 0.1 });

        Assert.Empty(plugin.Samples("http_requests_total"));
        Assert.Equal(1, plugin.Skips("http_requests_total").MissingLabel);
        Assert.Equal(1, plugin.Skips("http_requests_total").InvalidLabel);
        Assert.Equal(2, plugin.Value("http_request_duration_seconds_count", ("method", "GET")));
        Assert.Equal(100, plugin.Value("http_response_bytes_total", ("method", "GET")));
        Assert.Equal(1, plugin.Skips("http_response_bytes_total").InvalidValue);
        Assert.Throws<ArgumentException>(() => plugin.Skips("http_requests"));
    }
}
