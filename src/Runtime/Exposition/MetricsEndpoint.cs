using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Logging;
using FluentBit.Plugins.SelfMetrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace FluentBit.Plugins.Exposition;

/// <summary>
/// Serves one instance's metrics with Kestrel, on a generic host built bare: no configuration source (no
/// appsettings.json, no environment variables, no command line), no signal handling, only the one listener
/// the instance's <c>[OUTPUT]</c> section describes.
/// </summary>
internal sealed class MetricsEndpoint : IDisposable
{
    private readonly IHost _host;
    private readonly MetricsRequestHandler _handler;
    private readonly ServerCertificate? _certificate;
    private readonly PluginLog _log;
    private int _disposed;

    private MetricsEndpoint(IHost host, MetricsRequestHandler handler, ServerCertificate? certificate, PluginLog log)
    {
        _host = host;
        _handler = handler;
        _certificate = certificate;
        _log = log;
        string address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        LocalEndPoint = IPEndPoint.Parse(new Uri(address).Authority);
    }

    /// <summary>The address and port listened on (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <exception cref="PluginConfigException">The TLS files cannot be used; the message names the key and the file.</exception>
    /// <exception cref="EndpointStartException">The address cannot be bound, for example because the port is in use.</exception>
    internal static MetricsEndpoint Start(
        PluginConfig config, CollectorRegistry registry, PluginSelfMetrics selfMetrics, string pluginName, string description, PluginLog log)
    {
        ServerCertificate? certificate = config.Tls?.Load();
        IHost? host = null;
        try
        {
            var handler = new MetricsRequestHandler(registry, selfMetrics, config.Credentials, pluginName, description, log);
            host = Build(config, certificate, handler);
            StartListening(host, config);
            return new MetricsEndpoint(host, handler, certificate, log);
        }
        catch
        {
            host?.Dispose();
            certificate?.Dispose();
            throw;
        }
    }

    /// <summary>From now on <c>/-/healthy</c> answers 200.</summary>
    internal void MarkReady() => _handler.MarkReady();

    /// <summary>
    /// Stops listening, gives requests in flight <see cref="EndpointLimits.StopGrace"/> to finish, aborts the rest,
    /// and returns once no request handler runs, or at <see cref="EndpointLimits.StopLimit"/>: Fluent Bit may unload
    /// the plugin right after Exit, and must not wait long for it.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        long start = Stopwatch.GetTimestamp();
        _handler.BeginStopping();
        using (var grace = new CancellationTokenSource(EndpointLimits.StopGrace))
        {
            try
            {
                _host.StopAsync(grace.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Kestrel aborted the connections still open when the grace ran out.
            }
        }

        _host.Dispose();
        TimeSpan left = EndpointLimits.StopLimit - Stopwatch.GetElapsedTime(start);
        if (!_handler.WaitIdle(left > TimeSpan.Zero ? left : TimeSpan.Zero))
        {
            _log.Warn($"exit went on after {EndpointLimits.StopLimit.TotalSeconds} s while a request to {LocalEndPoint} was still being served");
        }

        _certificate?.Dispose();
    }

    private static IHost Build(PluginConfig config, ServerCertificate? certificate, MetricsRequestHandler handler) =>
        // A bare HostBuilder has no configuration source at all (no appsettings.json, environment or command line),
        // and the web host is told not to read ASPNETCORE_* variables either. The default IHostLifetime would
        // take SIGINT/SIGTERM away from Fluent Bit: it is replaced.
        new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton<IHostLifetime, NoSignalHostLifetime>();
                services.Configure<HostOptions>(options => options.ShutdownTimeout = EndpointLimits.StopGrace);
            })
            .ConfigureWebHost(
                web => web
                    .UseKestrelCore()
                    .ConfigureKestrel(options => Listen(options, config, certificate))
                    .Configure(app => app.Run(handler.HandleAsync)),
                options => options.SuppressEnvironmentConfiguration = true)
            .Build();

    private static void Listen(KestrelServerOptions options, PluginConfig config, ServerCertificate? certificate)
    {
        EndpointLimits.ApplyTo(options);
        options.Listen(config.HttpListen, config.HttpPort, listen =>
        {
            if (certificate is null)
            {
                listen.Protocols = HttpProtocols.Http1;
                return;
            }

            // HTTP/2 is offered through ALPN; HTTP/1.1 clients keep working.
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(https =>
            {
                EndpointLimits.ApplyTo(https);
                https.ServerCertificate = certificate.Certificate;
                https.ServerCertificateChain = certificate.Chain;
            });
        });
    }

    private static void StartListening(IHost host, PluginConfig config)
    {
        try
        {
            host.StartAsync().GetAwaiter().GetResult();
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            throw new EndpointStartException($"{ConfigKeys.HttpPort} {config.HttpPort} on {config.HttpListen} is already in use", e);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw new EndpointStartException($"{ConfigKeys.HttpPort} {config.HttpPort} on {config.HttpListen} cannot be bound: {(e.InnerException ?? e).Message}", e);
        }
    }
}
