using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// One Fluent Bit run for a test: the process, its own monitoring server (<c>-H</c>, for the output counters Fluent
/// Bit keeps itself) and the helpers that read both sides.
/// </summary>
internal sealed class FluentBitRun : IDisposable
{
    private FluentBitRun(FluentBitProcess process, int monitoringPort)
    {
        Process = process;
        MonitoringPort = monitoringPort;
    }

    public FluentBitProcess Process { get; }

    /// <summary>The port of Fluent Bit's own HTTP server (<c>-H -P</c>).</summary>
    public int MonitoringPort { get; }

    /// <summary>
    /// Starts <c>fluent-bit -H -P port -f 1 arguments...</c> and waits until every output named in
    /// <paramref name="serving"/> logged that it serves its metrics.
    /// </summary>
    public static FluentBitRun Start(
        string[] arguments, string[] serving, long virtualKiB = 0, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        int monitoring = Scrape.FreePort();
        FluentBitProcess process = FluentBitProcess.Start(
            ["-H", "-P", monitoring.ToString(), "-f", "1", .. arguments], virtualKiB, workingDirectory, environment: environment);
        var run = new FluentBitRun(process, monitoring);
        try
        {
            foreach (string instance in serving)
            {
                process.WaitForLog($@"\[ info\] \[{System.Text.RegularExpressions.Regex.Escape(instance)}\] serving metrics at");
            }

            process.WaitForLog(@"\[http_server\] listen iface=");
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    private static readonly System.Net.Http.HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Fluent Bit's own metrics (<c>/api/v2/metrics/prometheus</c>); empty until Fluent Bit has collected them once (it answers 404 before).</summary>
    public Dictionary<string, double> FluentBitMetrics()
    {
        using System.Net.Http.HttpResponseMessage response = Client.GetAsync($"http://127.0.0.1:{MonitoringPort}/api/v2/metrics/prometheus").GetAwaiter().GetResult();
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        return PrometheusText.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    /// <summary>One of Fluent Bit's output counters for an output instance (e.g. proc_records), 0 before it exists.</summary>
    public double Output(string counter, string instance) =>
        FluentBitMetrics().GetValueOrDefault(PrometheusText.Key($"fluentbit_output_{counter}_total", ("name", instance)));

    /// <summary>Waits (bounded by a hang, 60 s) until Fluent Bit counts <paramref name="records"/> processed by the output.</summary>
    public void WaitForProcessed(string instance, double records)
    {
        double seen = 0;
        bool reached = SpinWait.SpinUntil(() => (seen = Output("proc_records", instance)) >= records || Process.HasExited, TimeSpan.FromSeconds(60));
        Assert.True(reached && !Process.HasExited, $"{instance}: Fluent Bit processed {seen} of {records} records; log:\n{Process.Log}");
        Assert.Equal(records, seen);
    }

    /// <summary>SIGTERM; Fluent Bit must exit 0 and the log must show no crash.</summary>
    public void StopCleanly()
    {
        int status = Process.Terminate();
        Assert.True(status == 0, $"exit status {status}; log:\n{Process.Log}");
        Assert.DoesNotContain("SIGSEGV", Process.Log);
        Assert.DoesNotContain("SIGABRT", Process.Log);
    }

    public void Dispose() => Process.Dispose();

    /// <summary>The arguments of an output of <paramref name="plugin"/> serving on loopback at <paramref name="port"/>.</summary>
    public static string[] OutputArguments(string plugin, int port, params string[] properties) =>
        ["-o", plugin, "-m", "*", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", .. properties.SelectMany(p => new[] { "-p", p })];
}
