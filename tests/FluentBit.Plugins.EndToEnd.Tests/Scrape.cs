using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using FluentBit.Plugins.Testing;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>Scrapes an endpoint over loopback the way Prometheus does.</summary>
public static class Scrape
{
    public const string SelfMetricsPrefix = "fluentbit_plugin_";

    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The plugin's own series, without the <c>fluentbit_plugin_*</c> self-metrics.</summary>
    public static Dictionary<string, double> Metrics(int port) =>
        PrometheusText.Parse(Text(port)).Where(s => !s.Key.StartsWith(SelfMetricsPrefix, StringComparison.Ordinal)).ToDictionary();

    /// <summary>Only the <c>fluentbit_plugin_*</c> self-metrics.</summary>
    public static Dictionary<string, double> SelfMetrics(int port) =>
        PrometheusText.Parse(Text(port)).Where(s => s.Key.StartsWith(SelfMetricsPrefix, StringComparison.Ordinal)).ToDictionary();

    /// <summary>The plugin's own count of records decoded, for a wait; 0 while its endpoint does not answer yet.</summary>
    public static double RecordsDecoded(int port)
    {
        try
        {
            return SelfMetrics(port).GetValueOrDefault("fluentbit_plugin_records_decoded_total");
        }
        catch (Exception e) when (e is System.Net.Http.HttpRequestException or System.Threading.Tasks.TaskCanceledException)
        {
            return 0;
        }
    }

    public static string Text(int port, string? accept = null) => Get(port, "metrics", accept);

    /// <summary>GETs a path over plain HTTP and returns the body; fails on any status but 200.</summary>
    public static string Get(int port, string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/{path}");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using HttpResponseMessage response = Client.Send(request);
        response.EnsureSuccessStatusCode();
        return response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
    }

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort() => LoopbackPorts.Free();

    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
