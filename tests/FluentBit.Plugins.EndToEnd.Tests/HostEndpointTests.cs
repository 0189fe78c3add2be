using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// What hosting Kestrel inside the plugin must not change about the process it runs in: Fluent Bit's signals,
/// working directory and environment stay Fluent Bit's.
/// </summary>
public class HostEndpointTests
{
    private static readonly string CpuChunks = Path.Combine(Vectors.Root, "cpu");

    [Theory]
    [InlineData(HostProcess.SigTerm)]
    [InlineData(HostProcess.SigInt)]
    public void AStopSignalStillStopsTheHostThroughItsOwnPath(int signal)
    {
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}", "--cpu", "--interval", "0.1");
        host.WaitFor("flb-host: started");
        Assert.True(SpinWait.SpinUntil(() => Scrape.Metrics(port).Count > 0, TimeSpan.FromSeconds(10)));

        int status = host.Terminate(signal);

        // The host's handler ran (it prints the summary after the exit sequence); a signal taken by .NET would
        // have left it running until the 60 s timeout.
        Assert.True(status == 0, $"exit status {status}; stderr:\n{host.Stderr}");
        Assert.Matches(@"flb-host: output cpu_exporter\.0: flushes=([1-9]\d*) ok=\1 error=0 retry=0", host.Stderr);
        Assert.DoesNotContain("second signal", host.Stderr);
        Assert.False(Scrape.IsListening(port));
    }

    [Fact]
    public void AppsettingsAndAspNetCoreVariablesOpenNoListener()
    {
        string directory = Path.Combine(Path.GetTempPath(), $"fbp-cwd-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        int[] extra = Enumerable.Range(0, 5).Select(_ => Scrape.FreePort()).ToArray();
        File.WriteAllText(Path.Combine(directory, "appsettings.json"), $$"""
            {
              "urls": "http://127.0.0.1:{{extra[0]}}",
              "Kestrel": { "Endpoints": { "Extra": { "Url": "http://127.0.0.1:{{extra[1]}}" } } }
            }
            """);
        int port = Scrape.FreePort();
        try
        {
            using HostProcess host = HostProcess.StartIn(
                directory,
                [
                    ("ASPNETCORE_URLS", $"http://127.0.0.1:{extra[2]}"),
                    ("ASPNETCORE_PREFERHOSTINGURLS", "true"),
                    ("DOTNET_URLS", $"http://127.0.0.1:{extra[3]}"),
                    ("ASPNETCORE_Kestrel__Endpoints__Env__Url", $"http://127.0.0.1:{extra[4]}"),
                ],
                "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
                "--chunks", CpuChunks, "--wait");
            host.WaitFor("flb-host: ready");

            Assert.Equal(CpuSeries.After0003, Scrape.Metrics(port));
            Assert.All(extra, p => Assert.False(Scrape.IsListening(p), $"port {p} from appsettings.json or the environment is listening"));
            Assert.Equal(0, host.Stop());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("missing-crt")]
    [InlineData("mismatched-key")]
    public void ABadTlsFileFailsInitAndTheLogNamesTheKeyAndFile(string fault)
    {
        using var pki = new TestCertificates();
        string crt = fault == "missing-crt" ? Path.Combine(pki.Directory, "nowhere.crt") : pki.CrtFile;
        string key = fault == "mismatched-key" ? pki.OtherKeyFile : pki.KeyFile;
        int port = Scrape.FreePort();

        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
            "-p", $"http_tls_crt_file={crt}", "-p", $"http_tls_key_file={key}", "--chunks", CpuChunks);

        Assert.Equal(3, host.WaitForExit());
        Assert.Contains(
            fault == "missing-crt"
                ? $"[error] [cpu_exporter.0] init failed: http_tls_crt_file '{crt}' cannot be read: Could not find file '{crt}'."
                : $"[error] [cpu_exporter.0] init failed: http_tls_key_file '{key}' is not the private key of the certificate in http_tls_crt_file '{crt}'",
            host.Stderr);
    }

    [Fact]
    public async Task ThePublishedPluginServesHttp2OverTls()
    {
        using var pki = new TestCertificates();
        int port = Scrape.FreePort();
        using HostProcess host = HostProcess.Start(
            "-e", Artifacts.CpuExporter, "-o", "cpu_exporter", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}",
            "-p", $"http_tls_crt_file={pki.CrtFile}", "-p", $"http_tls_key_file={pki.KeyFile}", "--chunks", CpuChunks, "--wait");
        host.WaitFor("flb-host: ready");
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => pki.Issued(certificate as X509Certificate2) },
        });

        using HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{port}/metrics")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(CpuSeries.After0003[PrometheusText.Key("cpu_usage_percent", ("cpu", "all"), ("mode", "total"))],
            PrometheusText.Parse(await response.Content.ReadAsStringAsync())[PrometheusText.Key("cpu_usage_percent", ("cpu", "all"), ("mode", "total"))]);
        Assert.Equal(0, host.Stop());
        Assert.Contains($"serving metrics at https://127.0.0.1:{port}/metrics", host.Stderr);
    }
}
