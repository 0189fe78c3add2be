using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using FluentBit.Plugins.Testing;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// A real Prometheus server (Debian's prometheus package, installed by eng/ensure-deps.sh) on a free loopback
/// port, its storage in a temporary directory, queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    public const string Binary = "/usr/bin/prometheus";


    private readonly string _directory;
    private readonly int _port;
    private readonly string[] _arguments;
    private readonly string? _authorization;
    private readonly string _scheme;
    private readonly HttpClient _client;
    private Process _process;

    private PrometheusServer(string directory, int port, string[] arguments, string? authorization, TestCertificates? tls)
    {
        _directory = directory;
        _port = port;
        _arguments = arguments;
        _authorization = authorization;
        _scheme = tls is null ? "http" : "https";
        var handler = new HttpClientHandler();
        if (tls is not null)
        {
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) => tls.Issued(certificate);
        }

        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        _process = Launch(arguments);
    }

    /// <summary>Where Prometheus takes remote-write pushes, when started with <see cref="RemoteWriteReceiver"/>.</summary>
    public string RemoteWriteUrl => $"{_scheme}://127.0.0.1:{_port}/api/v1/write";

    /// <summary>The flag that makes Prometheus 2.42 a remote-write receiver.</summary>
    public const string RemoteWriteReceiver = "--web.enable-remote-write-receiver";

    /// <param name="scrapeConfigs">The <c>scrape_configs:</c> list in YAML; every job scrapes every 10 s.</param>
    /// <param name="flags">More command-line flags, such as <see cref="RemoteWriteReceiver"/>.</param>
    /// <param name="basicAuth">A user and the bcrypt hash of its password: Prometheus then asks every request for them (its web config), and so do the queries.</param>
    /// <param name="password">That password, for the queries.</param>
    /// <param name="tls">Serve HTTPS with this server certificate (its web config), the queries trusting its CA.</param>
    public static PrometheusServer Start(
        string scrapeConfigs, string[]? flags = null, (string User, string BcryptHash)? basicAuth = null, string? password = null, TestCertificates? tls = null)
    {
        if (!File.Exists(Binary))
        {
            throw new FileNotFoundException($"{Binary} is missing: run eng/ensure-deps.sh (Debian package prometheus)", Binary);
        }

        string directory = Path.Combine(Path.GetTempPath(), $"fbp-prometheus-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        string config = Path.Combine(directory, "prometheus.yml");
        // A scrape may take up to 10 s before Prometheus gives up on it (a hang, not a slow machine: a failed scrape
        // would mark the series stale and the queries would miss them); the first scrape of each job comes within
        // one interval of the start.
        File.WriteAllText(config, "global:\n  scrape_interval: 10s\n  scrape_timeout: 10s\nscrape_configs:\n" + scrapeConfigs);
        int port = Scrape.FreePort();
        List<string> arguments =
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn", .. flags ?? [],
        ];
        string? authorization = null;
        string web = "";
        if (basicAuth is (string user, string hash))
        {
            web += $"basic_auth_users:\n  {user}: {hash}\n";
            authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));
        }

        if (tls is not null)
        {
            web += $"tls_server_config:\n  cert_file: {tls.CrtFile}\n  key_file: {tls.KeyFile}\n";
        }

        if (web.Length > 0)
        {
            string webConfig = Path.Combine(directory, "web.yml");
            File.WriteAllText(webConfig, web);
            arguments.Add($"--web.config.file={webConfig}");
        }

        var server = new PrometheusServer(directory, port, [.. arguments], authorization, tls);
        server.WaitUntil(() => server.IsReady(), TimeSpan.FromSeconds(30), "Prometheus never became ready");
        return server;
    }

    /// <summary>Kills Prometheus (its storage stays); <see cref="StartAgain"/> starts it on the same port and storage.</summary>
    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void StartAgain()
    {
        Stop();
        _process.Dispose();
        _process = Launch(_arguments);
        WaitUntil(() => IsReady(), TimeSpan.FromSeconds(30), "Prometheus never became ready again");
    }

    private static Process Launch(string[] arguments)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>An instant query: each result's labels and value.</summary>
    public List<(Dictionary<string, string> Labels, double Value)> Query(string promql)
    {
        using JsonDocument answer = Api($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        return answer.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => (
                r.GetProperty("metric").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
                double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>The exemplars of the last hour for <paramref name="promql"/> (exemplar storage must be on): each series' labels, each exemplar's labels and value.</summary>
    public List<(Dictionary<string, string> Series, Dictionary<string, string> Labels, double Value)> QueryExemplars(string promql)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using JsonDocument answer = Api($"api/v1/query_exemplars?query={Uri.EscapeDataString(promql)}&start={now - 3600}&end={now + 60}");
        var found = new List<(Dictionary<string, string>, Dictionary<string, string>, double)>();
        foreach (JsonElement series in answer.RootElement.GetProperty("data").EnumerateArray())
        {
            var seriesLabels = series.GetProperty("seriesLabels").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!);
            foreach (JsonElement exemplar in series.GetProperty("exemplars").EnumerateArray())
            {
                found.Add((
                    seriesLabels,
                    exemplar.GetProperty("labels").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
                    double.Parse(exemplar.GetProperty("value").GetString()!, CultureInfo.InvariantCulture)));
            }
        }

        return found;
    }

    /// <summary>Each value of <paramref name="promql"/> by its <c>job</c> label.</summary>
    public Dictionary<string, double> QueryByJob(string promql) =>
        Query(promql).ToDictionary(r => r.Labels["job"], r => r.Value);

    /// <summary>The active targets: job, health ("up", "down", "unknown") and the last scrape error.</summary>
    public List<(string Job, string Health, string LastError)> Targets()
    {
        using JsonDocument answer = Api("api/v1/targets?state=active");
        return answer.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => (t.GetProperty("labels").GetProperty("job").GetString()!, t.GetProperty("health").GetString()!, t.GetProperty("lastError").GetString()!))
            .ToList();
    }

    public void WaitUntil(Func<bool> condition, TimeSpan timeout, string failure)
    {
        if (!SpinWait.SpinUntil(() => { Thread.Sleep(100); return _process.HasExited || condition(); }, timeout) || _process.HasExited)
        {
            throw new TimeoutException($"{failure} (prometheus exited: {_process.HasExited}); targets: {string.Join("; ", SafeTargets())}");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        _client.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private bool IsReady()
    {
        try
        {
            using HttpResponseMessage response = _client.Send(Request("-/ready"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private IEnumerable<string> SafeTargets()
    {
        try
        {
            return Targets().Select(t => $"{t.Job} {t.Health} {t.LastError}");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException)
        {
            return [$"(unavailable: {e.Message})"];
        }
    }

    private JsonDocument Api(string pathAndQuery)
    {
        using HttpResponseMessage response = _client.Send(Request(pathAndQuery));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
    }

    private HttpRequestMessage Request(string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{_scheme}://127.0.0.1:{_port}/{pathAndQuery}");
        if (_authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        }

        return request;
    }
}
