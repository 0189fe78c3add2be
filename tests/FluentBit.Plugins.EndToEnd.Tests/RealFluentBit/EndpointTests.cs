using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// The endpoint of a plugin running in real Fluent Bit: under 300 silent and 100 dripping connections, with basic
/// auth and TLS, in OpenMetrics and gzip, and scraped by a real Prometheus that is then queried.
/// </summary>
[Trait("Category", FluentBitProcess.Category)]
public class EndpointTests(ITestOutputHelper output)
{
    private const string OpenMetricsAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    /// <summary>Bounds only a hang crosses; how fast scrapes are under attack is printed, not asserted.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [Fact]
    public void ScrapesAreAnsweredAmongSilentAndDrippingConnectionsAndFluentBitStillStops()
    {
        int port = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.CpuExporter, "-i", "cpu", "-p", "interval_sec=1", .. FluentBitRun.OutputArguments("cpu_exporter", port)],
            ["cpu_exporter.0"]);
        Assert.True(SpinWait.SpinUntil(() => Scrape.Text(port).Contains("cpu_usage_percent{cpu=\"all\",mode=\"total\"}", StringComparison.Ordinal), Hang), "no cpu record");
        var silent = Enumerable.Range(0, 300).Select(_ => Connect(port)).ToList();
        var dripping = Enumerable.Range(0, 100).Select(_ => Connect(port)).ToList();
        var latencies = new List<double>();
        try
        {
            // Past the plugin's 10 s limit for a request's headers, one header byte a second on each dripping socket.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int drip = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(12))
            {
                foreach (Socket d in dripping)
                {
                    TrySend(d, drip == 0 ? "GET /metrics HTTP/1.1\r\n" : "X-a: b\r\n");
                }

                drip++;
                var scrape = System.Diagnostics.Stopwatch.StartNew();
                string text = Scrape.Text(port);
                latencies.Add(scrape.Elapsed.TotalMilliseconds);
                Assert.Contains("cpu_usage_percent{cpu=\"all\",mode=\"total\"}", text);
                Thread.Sleep(1000);
            }

            int answered408 = dripping.Count(d => Read(d).StartsWith("HTTP/1.1 408 ", StringComparison.Ordinal));
            int silentOpen = silent.Count(c => !c.Poll(0, SelectMode.SelectRead));
            var stop = System.Diagnostics.Stopwatch.StartNew();
            int status = run.Process.Terminate();
            output.WriteLine($"scrapes: {latencies.Count}, median {latencies.Order().ElementAt(latencies.Count / 2):F1} ms, max {latencies.Max():F1} ms; 408s {answered408}/100; silent open {silentOpen}/300; stop {stop.ElapsedMilliseconds} ms");
            Assert.Equal(100, answered408);
            Assert.Equal(300, silentOpen);
            Assert.Equal(0, status);
            Assert.True(stop.Elapsed < Hang, $"Fluent Bit took {stop.Elapsed} to stop");
        }
        finally
        {
            silent.Concat(dripping).ToList().ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// A password kept out of the configuration: Fluent Bit expands <c>${METRICS_PASSWORD}</c> from the environment,
    /// and the plugin logs no password. (Moved from the host, which no longer expands variables.)
    /// </summary>
    [Fact]
    public void ThePasswordMayComeFromTheEnvironmentThroughFluentBitsExpansion()
    {
        int port = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.TestExporter, "-i", "dummy", "-p", """dummy={"status":200}""", "-p", "samples=2", "-p", "rate=20",
             .. FluentBitRun.OutputArguments("test_exporter", port, "http_user=prom", "http_passwd=${METRICS_PASSWORD}")],
            ["test_exporter.0"],
            environment: new Dictionary<string, string> { ["METRICS_PASSWORD"] = "from-env" });
        run.WaitForProcessed("test_exporter.0", 2);

        using var client = new HttpClient { Timeout = Hang };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("prom:from-env"u8));
        using HttpResponseMessage response = client.Send(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        run.StopCleanly();
        Assert.DoesNotContain("from-env", run.Process.Log);
    }

    [Fact]
    public void BasicAuthTlsOpenMetricsAndGzipInFluentBit()
    {
        using var pki = new TestCertificates();
        int port = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.TestExporter, "-i", "dummy", "-p", """dummy={"status":200}""", "-p", "samples=10", "-p", "rate=20",
             .. FluentBitRun.OutputArguments("test_exporter", port, "http_user=prom", "http_passwd=s3cret", $"http_tls_crt_file={pki.CrtFile}", $"http_tls_key_file={pki.KeyFile}")],
            ["test_exporter.0"]);
        run.WaitForProcessed("test_exporter.0", 10);

        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => pki.Issued(certificate),
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}/"), Timeout = Hang };
        HttpResponseMessage Get(string? user, string? password, string? accept = null, string? encoding = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
            if (user is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            }

            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            if (encoding is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
            }

            return client.Send(request);
        }

        using (HttpResponseMessage none = Get(null, null))
        using (HttpResponseMessage wrong = Get("prom", "guess"))
        using (HttpResponseMessage wrongUser = Get("guess", "s3cret"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, wrongUser.StatusCode);
            Assert.Equal("Basic", wrong.Headers.WwwAuthenticate.Single().Scheme);
        }

        using (HttpResponseMessage text = Get("prom", "s3cret"))
        {
            Assert.Equal(HttpStatusCode.OK, text.StatusCode);
            Assert.StartsWith("text/plain", text.Content.Headers.ContentType!.ToString());
            Assert.Equal(10, PrometheusText.Parse(ReadBody(text))["test_records_total"]);
        }

        using (HttpResponseMessage openMetrics = Get("prom", "s3cret", OpenMetricsAccept))
        {
            string body = ReadBody(openMetrics);
            Assert.StartsWith("application/openmetrics-text", openMetrics.Content.Headers.ContentType!.ToString());
            Assert.Contains("test_records_total 10.0\n", body);
            Assert.EndsWith("# EOF\n", body);
        }

        using (HttpResponseMessage gzip = Get("prom", "s3cret", encoding: "gzip"))
        {
            Assert.Equal("gzip", gzip.Content.Headers.ContentEncoding.Single());
            using var unzip = new GZipStream(gzip.Content.ReadAsStream(), CompressionMode.Decompress);
            using var reader = new StreamReader(unzip);
            Assert.Equal(10, PrometheusText.Parse(reader.ReadToEnd())["test_records_total"]);
        }

        run.StopCleanly();
    }

    /// <summary>
    /// A real Prometheus scrapes the access-log sample in Fluent Bit, plainly and with basic auth over TLS with HTTP/2,
    /// and its query API returns the exact totals; a job with the wrong password, and one with the wrong user, are down with a 401.
    /// </summary>
    [Fact]
    public void PrometheusScrapesAPluginRunningInFluentBit()
    {
        const int Samples = 30;
        using var pki = new TestCertificates();
        int plain = Scrape.FreePort();
        int secure = Scrape.FreePort();
        using FluentBitRun run = FluentBitRun.Start(
            ["-e", Artifacts.AccessLogExporter,
             "-i", "dummy", "-p", """dummy={"method":"GET","status":200,"bytes":1000,"request_time":0.2}""", "-p", $"samples={Samples}", "-p", "rate=30",
             .. FluentBitRun.OutputArguments("access_log_exporter", plain),
             .. FluentBitRun.OutputArguments("access_log_exporter", secure, "http_user=prom", "http_passwd=s3cret", $"http_tls_crt_file={pki.CrtFile}", $"http_tls_key_file={pki.KeyFile}")],
            ["access_log_exporter.0", "access_log_exporter.1"]);
        run.WaitForProcessed("access_log_exporter.0", Samples);
        run.WaitForProcessed("access_log_exporter.1", Samples);

        using PrometheusServer prometheus = PrometheusServer.Start($$"""
              - job_name: plain
                static_configs: [{targets: ['127.0.0.1:{{plain}}']}]
              - job_name: secure
                scheme: https
                enable_http2: true
                basic_auth: {username: prom, password: s3cret}
                tls_config: {ca_file: '{{pki.CaFile}}'}
                static_configs: [{targets: ['127.0.0.1:{{secure}}']}]
              - job_name: wrong_password
                scheme: https
                basic_auth: {username: prom, password: guess}
                tls_config: {ca_file: '{{pki.CaFile}}'}
                static_configs: [{targets: ['127.0.0.1:{{secure}}']}]
              - job_name: wrong_user
                scheme: https
                basic_auth: {username: guess, password: s3cret}
                tls_config: {ca_file: '{{pki.CaFile}}'}
                static_configs: [{targets: ['127.0.0.1:{{secure}}']}]

            """);
        prometheus.WaitUntil(() => prometheus.QueryByJob("http_requests_total").Count == 2 && prometheus.QueryByJob("up").Count == 4, TimeSpan.FromSeconds(60), "Prometheus did not scrape the four jobs");
        Dictionary<string, double> requests = prometheus.QueryByJob("http_requests_total{method=\"GET\",status=\"200\"}");
        Dictionary<string, double> bytes = prometheus.QueryByJob("http_response_bytes_total{method=\"GET\"}");
        Dictionary<string, double> bucket = prometheus.QueryByJob("http_request_duration_seconds_bucket{method=\"GET\",le=\"0.25\"}");
        foreach (string job in new[] { "plain", "secure" })
        {
            Assert.Equal(Samples, requests[job]);
            Assert.Equal(1000.0 * Samples, bytes[job]);
            Assert.Equal(Samples, bucket[job]);
        }

        foreach (string refused in new[] { "wrong_password", "wrong_user" })
        {
            (string _, string health, string error) = prometheus.Targets().Single(t => t.Job == refused);
            Assert.Equal(0, prometheus.QueryByJob("up")[refused]);
            Assert.Equal("down", health);
            Assert.Contains("401", error);
        }

        run.StopCleanly();
    }

    private static string ReadBody(HttpResponseMessage response)
    {
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return reader.ReadToEnd();
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(IPAddress.Loopback, port);
        return socket;
    }

    private static void TrySend(Socket socket, string text)
    {
        try
        {
            socket.Send(Encoding.ASCII.GetBytes(text));
        }
        catch (SocketException)
        {
        }
    }

    private static string Read(Socket socket)
    {
        try
        {
            socket.ReceiveTimeout = 5000;
            byte[] buffer = new byte[1024];
            int read = socket.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (SocketException)
        {
            return "";
        }
    }
}
