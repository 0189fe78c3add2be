using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Logging;
using FluentBit.Plugins.SelfMetrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace FluentBit.Plugins.Endpoint;

/// <summary>
/// Serves one instance's metrics with Kestrel, on a generic host built bare: no configuration source (no
/// appsettings.json, no environment variables, no command line), no signal handling, only the one listener
/// the instance's <c>[OUTPUT]</c> section describes.
/// </summary>
/// <remarks>
/// The listening socket is bound at Init (a port in use fails Init, as before), but Kestrel and the generic host
/// start only when the first connection arrives, and take the socket over (<c>ListenHandle</c>): until a scraper
/// comes, the endpoint costs a socket and a thread waiting on it instead of about 5 MiB of Kestrel's code, host
/// and pools (docs/benchmarks.md, "Idle memory in real Fluent Bit"). The first request waits for that start.
/// </remarks>
internal sealed class MetricsEndpoint : IDisposable
{
    /// <summary>How often the thread waiting for the first connection looks whether Exit has begun.</summary>
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    private readonly PluginConfig _config;
    private readonly MetricsRequestHandler _handler;
    private readonly ServerCertificate? _certificate;
    private readonly PluginLog _log;
    private readonly Socket _listener;
    private readonly Thread _watcher;
    private readonly object _startLock = new();
    private IHost? _host;
    private int _disposed;

    /// <summary>Whether <see cref="Dispose"/> has begun: no new request is served from then on.</summary>
    internal bool Stopping => Volatile.Read(ref _disposed) != 0;

    private MetricsEndpoint(PluginConfig config, MetricsRequestHandler handler, ServerCertificate? certificate, PluginLog log, Socket listener)
    {
        _config = config;
        _handler = handler;
        _certificate = certificate;
        _log = log;
        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _watcher = new Thread(StartOnFirstConnection) { IsBackground = true, Name = "metrics endpoint" };
    }

    /// <summary>The address and port listened on (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <exception cref="PluginConfigException">The TLS files cannot be used; the message names the key and the file.</exception>
    /// <exception cref="EndpointStartException">The address cannot be bound, for example because the port is in use.</exception>
    /// <remarks><paramref name="firstAnswered"/> is called once, when the first request has been answered.</remarks>
    internal static MetricsEndpoint Start(
        PluginConfig config, CollectorRegistry registry, PluginSelfMetrics selfMetrics, string pluginName, string description, PluginLog log,
        Action? firstAnswered = null)
    {
        ServerCertificate? certificate = config.Tls?.Load();
        Socket? listener = null;
        try
        {
            var handler = new MetricsRequestHandler(registry, selfMetrics, config.Credentials, pluginName, description, log, firstAnswered);
            listener = Bind(config);
            var endpoint = new MetricsEndpoint(config, handler, certificate, log, listener);
            endpoint._watcher.Start();
            return endpoint;
        }
        catch
        {
            listener?.Dispose();
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

        // A start under way finishes first (it holds the lock); none begins after this.
        IHost? host;
        lock (_startLock)
        {
            host = _host;
        }

        if (host is not null)
        {
            using var grace = new CancellationTokenSource(EndpointLimits.StopGrace);
            try
            {
                host.StopAsync(grace.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Kestrel aborted the connections still open when the grace ran out.
            }

            host.Dispose();
        }

        _listener.Dispose();
        _watcher.Join(WatchInterval + WatchInterval);
        TimeSpan left = EndpointLimits.StopLimit - Stopwatch.GetElapsedTime(start);
        if (!_handler.WaitIdle(left > TimeSpan.Zero ? left : TimeSpan.Zero))
        {
            _log.Warn($"exit went on after {EndpointLimits.StopLimit.TotalSeconds} s while a request to {LocalEndPoint} was still being served");
        }

        _certificate?.Dispose();
    }

    private static Socket Bind(PluginConfig config)
    {
        var socket = new Socket(config.HttpListen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (config.HttpListen.Equals(IPAddress.IPv6Any))
            {
                // As Kestrel binds [::]: IPv6 and IPv4 both.
                socket.DualMode = true;
            }

            // As Kestrel does on Linux: a restarted Fluent Bit can bind the port while old connections linger in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(config.HttpListen, config.HttpPort));
            socket.Listen(EndpointLimits.MaxConcurrentConnections);
            return socket;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new EndpointStartException($"{ConfigKeys.HttpPort} {config.HttpPort} on {config.HttpListen} is already in use", e);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new EndpointStartException($"{ConfigKeys.HttpPort} {config.HttpPort} on {config.HttpListen} cannot be bound: {e.Message}", e);
        }
    }

    /// <summary>Waits for a connection to be pending on the socket, then starts Kestrel on it, which accepts it.</summary>
    private void StartOnFirstConnection()
    {
        try
        {
            while (!_listener.Poll(WatchInterval, SelectMode.SelectRead))
            {
                if (Volatile.Read(ref _disposed) != 0)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return;
        }

        lock (_startLock)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            IHost? host = null;
            try
            {
                // Kestrel listens on the socket without owning it (it never closes a handle it was given): Dispose
                // closes it once Kestrel has stopped.
                host = Build(_config, _certificate, _handler, (ulong)_listener.SafeHandle.DangerousGetHandle());
                host.StartAsync().GetAwaiter().GetResult();
                Volatile.Write(ref _host, host);
            }
            catch (Exception e)
            {
                // Nothing more can be done for the scrapers; the plugin's flushes go on.
                host?.Dispose();
                _log.Error($"the /metrics endpoint at {LocalEndPoint} could not start: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    private static IHost Build(PluginConfig config, ServerCertificate? certificate, MetricsRequestHandler handler, ulong listenHandle) =>
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
                    .ConfigureKestrel(options => Listen(options, listenHandle, certificate))
                    .Configure(app => app.Run(handler.HandleAsync)),
                options => options.SuppressEnvironmentConfiguration = true)
            .Build();

    private static void Listen(KestrelServerOptions options, ulong listenHandle, ServerCertificate? certificate)
    {
        EndpointLimits.ApplyTo(options);
        options.ListenHandle(listenHandle, listen =>
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
}
