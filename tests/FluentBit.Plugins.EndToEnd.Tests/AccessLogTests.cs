using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// A generated access log and the families the access-log sample must serve for it, computed here from the lines,
/// independently of the plugin. The real-Fluent-Bit tier feeds it through tail with the json parser and with a
/// regex parser (every value a string); it replaced the host's jsonl run of the same log.
/// </summary>
public static class AccessLogTests
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE"];
    private static readonly int[] Statuses = [200, 201, 301, 404, 500];
    private static readonly double[] DefaultBuckets = [.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10];

    internal static void AssertFamily((string Header, SortedDictionary<string, double> Samples) expected, string exposition, string name)
    {
        (string header, SortedDictionary<string, double> samples) = Family(exposition, name);
        Assert.Equal(expected.Header, header);
        Assert.Equal(expected.Samples, samples);
    }

    /// <summary>One metric family of an exposition: its HELP and TYPE lines, then its samples parsed and sorted.</summary>
    internal static (string Header, SortedDictionary<string, double> Samples) Family(string exposition, string name)
    {
        string[] lines = exposition.Split('\n');
        string header = string.Join("\n", lines.Where(l => l.StartsWith($"# HELP {name} ", StringComparison.Ordinal) || l.StartsWith($"# TYPE {name} ", StringComparison.Ordinal)));
        string body = string.Join("\n", lines.Where(l => !l.StartsWith('#') && (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal)
            || l.StartsWith(name + "_sum", StringComparison.Ordinal) || l.StartsWith(name + "_count", StringComparison.Ordinal) || l.StartsWith(name + "_bucket", StringComparison.Ordinal))));
        return (header, new SortedDictionary<string, double>(PrometheusText.Parse(body), StringComparer.Ordinal));
    }

    internal static List<AccessLine> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var lines = new List<AccessLine>(count);
        for (int i = 0; i < count; i++)
        {
            // About one line in 40 has no status, as a malformed upstream line would.
            int? status = random.Next(40) == 0 ? null : Statuses[random.Next(Statuses.Length)];
            lines.Add(new AccessLine(
                $"10.0.{random.Next(256)}.{random.Next(256)}",
                Methods[random.Next(Methods.Length)],
                $"/api/items/{random.Next(1000)}",
                status,
                random.Next(200_000),
                random.Next(1, 12_000) / 1000.0));
        }

        return lines;
    }

    internal sealed record AccessLine(string Remote, string Method, string Path, int? Status, long Bytes, double RequestTime)
    {
        public string ToJson(bool allStrings)
        {
            string Number(string text) => allStrings ? $"\"{text}\"" : text;
            var json = new StringBuilder();
            json.Append($"{{\"remote\":\"{Remote}\",\"method\":\"{Method}\",\"path\":\"{Path}\"");
            if (Status is { } status)
            {
                json.Append($",\"status\":{Number(status.ToString(CultureInfo.InvariantCulture))}");
            }

            json.Append($",\"bytes\":{Number(Bytes.ToString(CultureInfo.InvariantCulture))}");
            json.Append($",\"request_time\":{Number(RequestTime.ToString("R", CultureInfo.InvariantCulture))}}}");
            return json.ToString();
        }
    }

    /// <summary>What each family must hold, from the lines alone.</summary>
    internal static class Expected
    {
        public static (string, SortedDictionary<string, double>) Requests(List<AccessLine> lines)
        {
            var samples = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (AccessLine line in lines.Where(l => l.Status is not null))
            {
                string key = PrometheusText.Key("http_requests_total", ("method", line.Method), ("status", line.Status!.Value.ToString(CultureInfo.InvariantCulture)));
                samples[key] = samples.GetValueOrDefault(key) + 1;
            }

            return ("# HELP http_requests_total HTTP requests by method and status\n# TYPE http_requests_total counter", samples);
        }

        public static (string, SortedDictionary<string, double>) Duration(List<AccessLine> lines)
        {
            var samples = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (AccessLine line in lines)
            {
                // The sum is accumulated in the order the records arrive, as the histogram does.
                string sum = PrometheusText.Key("http_request_duration_seconds_sum", ("method", line.Method));
                samples[sum] = samples.GetValueOrDefault(sum) + line.RequestTime;
                string count = PrometheusText.Key("http_request_duration_seconds_count", ("method", line.Method));
                samples[count] = samples.GetValueOrDefault(count) + 1;
                foreach (string le in DefaultBuckets.Select(b => b.ToString(CultureInfo.InvariantCulture)).Append("+Inf"))
                {
                    string bucket = PrometheusText.Key("http_request_duration_seconds_bucket", ("le", le), ("method", line.Method));
                    bool inBucket = le == "+Inf" || line.RequestTime <= double.Parse(le, CultureInfo.InvariantCulture);
                    samples[bucket] = samples.GetValueOrDefault(bucket) + (inBucket ? 1 : 0);
                }
            }

            return ("# HELP http_request_duration_seconds Time to serve a request, in seconds\n# TYPE http_request_duration_seconds histogram", samples);
        }

        public static (string, SortedDictionary<string, double>) Bytes(List<AccessLine> lines)
        {
            var samples = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (AccessLine line in lines)
            {
                string key = PrometheusText.Key("http_response_bytes_total", ("method", line.Method));
                samples[key] = samples.GetValueOrDefault(key) + line.Bytes;
            }

            return ("# HELP http_response_bytes_total Bytes sent in response bodies\n# TYPE http_response_bytes_total counter", samples);
        }
    }
}
