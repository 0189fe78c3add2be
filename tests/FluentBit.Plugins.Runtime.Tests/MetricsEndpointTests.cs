using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Hosting;
using Prometheus;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

public unsafe class MetricsEndpointTests
{
    private static readonly PluginLog Log = new(null, null, "test");

    private static (MetricsEndpoint Endpoint, CollectorRegistry Registry) Start()
    {
        CollectorRegistry registry = Prometheus.Metrics.NewCustomRegistry();
        Prometheus.Metrics.WithCustomRegistry(registry).CreateGauge("demo_value", "A demo", "mode").WithLabels("x").Set(2.5);
        return (MetricsEndpoint.Start(IPAddress.Loopback, 0, registry, Log), registry);
    }

    /// <summary>Sends raw requests on one connection and reads the whole answer until the server closes it.</summary>
    private static string Exchange(IPEndPoint endpoint, string requests)
    {
        using var client = new TcpClient();
        client.Connect(endpoint);
        client.ReceiveTimeout = 10_000;
        NetworkStream stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes(requests));
        using var answer = new MemoryStream();
        stream.CopyTo(answer);
        return Encoding.UTF8.GetString(answer.ToArray());
    }

    /// <summary>Sends <paramref name="requests"/> to a fresh endpoint serving the demo registry and returns its answer.</summary>
    private static string Ask(string requests)
    {
        var (endpoint, _) = Start();
        using (endpoint)
        {
            return Exchange(endpoint.LocalEndPoint, requests);
        }
    }

    [Fact]
    public void ServesTheRegistryWhateverTheHostHeader()
    {
        string answer = Ask("GET /metrics HTTP/1.1\r\nHost: scraper.example:9999\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer);
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n", answer);
        Assert.Contains("# HELP demo_value A demo\n# TYPE demo_value gauge\ndemo_value{mode=\"x\"} 2.5\n", answer);
    }

    [Fact]
    public void KeepsTheConnectionForTheNextScrape()
    {
        string answer = Ask("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\nGET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        Assert.Equal(2, answer.Split("HTTP/1.1 200 OK").Length - 1);
        Assert.Contains("Connection: keep-alive", answer);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1", "HTTP/1.1 404 Not Found", "not found: metrics are served at /metrics")]
    [InlineData("POST /metrics HTTP/1.1", "HTTP/1.1 405 Method Not Allowed", "only GET and HEAD are allowed")]
    [InlineData("NONSENSE", "HTTP/1.1 400 Bad Request", "bad request")]
    public void AnswersOtherRequestsWithAnError(string requestLine, string status, string body)
    {
        string answer = Ask(requestLine + "\r\nHost: a\r\nConnection: close\r\n\r\n");

        Assert.StartsWith(status + "\r\n", answer);
        Assert.EndsWith(body + "\n", answer);
    }

    [Fact]
    public void HeadAnswersWithoutABody()
    {
        string answer = Ask("HEAD /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer);
        Assert.EndsWith("\r\n\r\n", answer);
    }

    [Fact]
    public void APortInUseFailsWithThePortInTheMessage()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var error = Assert.Throws<EndpointStartException>(() => MetricsEndpoint.Start(IPAddress.Loopback, port, Prometheus.Metrics.NewCustomRegistry(), Log));

        Assert.Equal($"http_port {port} on 127.0.0.1 is already in use", error.Message);
    }

    [Fact]
    public void DisposeStopsListeningAndFreesThePort()
    {
        var (endpoint, registry) = Start();
        int port = endpoint.LocalEndPoint.Port;
        Exchange(endpoint.LocalEndPoint, "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        endpoint.Dispose();

        using var probe = new TcpClient();
        Assert.Throws<SocketException>(() => probe.Connect(IPAddress.Loopback, port));
        using MetricsEndpoint again = MetricsEndpoint.Start(IPAddress.Loopback, port, registry, Log);
        Assert.Equal(port, again.LocalEndPoint.Port);
    }

    [Fact]
    public void AReusedBufferHoldsOnlyTheLatestExposition()
    {
        var (endpoint, registry) = Start();
        using (endpoint)
        {
            Gauge wide = Prometheus.Metrics.WithCustomRegistry(registry).CreateGauge("wide_value", "Many series", "n");
            for (int i = 0; i < 1000; i++)
            {
                wide.WithLabels(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(i);
            }

            string large = Exchange(endpoint.LocalEndPoint, "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            foreach (Gauge.Child child in Enumerable.Range(0, 1000).Select(i => wide.WithLabels(i.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            {
                child.Remove();
            }

            string small = Exchange(endpoint.LocalEndPoint, "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            Assert.Contains("wide_value{n=\"999\"} 999\n", large);
            Assert.DoesNotContain("wide_value{", small);
            Assert.Contains("demo_value{mode=\"x\"} 2.5\n", small);
            int length = int.Parse(small.Split("Content-Length: ")[1].Split("\r\n")[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(length, Encoding.UTF8.GetByteCount(small[(small.IndexOf("\r\n\r\n", System.StringComparison.Ordinal) + 4)..]));
        }
    }
}
