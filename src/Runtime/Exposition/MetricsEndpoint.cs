using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using FluentBit.Plugins.Hosting;
using Prometheus;

namespace FluentBit.Plugins.Exposition;

/// <summary>
/// Serves one instance's registry at <c>/metrics</c>. A small HTTP/1.1 server of our own rather than
/// prometheus-net's MetricServer: it binds exactly the configured address, answers whatever Host header
/// a scraper sends, fails Init cleanly when the port is taken, and leaves room for content negotiation,
/// compression, authentication and TLS.
/// </summary>
internal sealed class MetricsEndpoint : IDisposable
{
    private const int MaxRequestHeadBytes = 16 * 1024;
    private const int SocketTimeoutMs = 30_000;

    private static readonly byte[] HeadTerminator = "\r\n\r\n"u8.ToArray();

    private readonly Socket _listener;
    private readonly CollectorRegistry _registry;
    private readonly PluginLog _log;
    private readonly Thread _acceptThread;
    private readonly ConcurrentDictionary<Socket, bool> _connections = new();
    private readonly CountdownEvent _handlers = new(1);
    private readonly ExpositionBuffers _bodies = new();
    private volatile bool _stopping;

    private MetricsEndpoint(Socket listener, CollectorRegistry registry, PluginLog log)
    {
        _listener = listener;
        _registry = registry;
        _log = log;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = $"metrics:{LocalEndPoint.Port}" };
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <exception cref="EndpointStartException">The address cannot be bound, for example because the port is in use.</exception>
    public static MetricsEndpoint Start(IPAddress address, int port, CollectorRegistry registry, PluginLog log)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                listener.DualMode = true;
            }

            // SO_REUSEADDR alone (not .NET's ReuseAddress, which adds SO_REUSEPORT on Linux and would let two
            // instances share a port): a restart may rebind while old connections sit in TIME_WAIT.
            listener.SetRawSocketOption(1 /* SOL_SOCKET */, 2 /* SO_REUSEADDR */, BitConverter.GetBytes(1));
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(64);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            string why = e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? "is already in use"
                : $"cannot be bound ({e.SocketErrorCode}: {e.Message})";
            throw new EndpointStartException($"http_port {port} on {address} {why}", e);
        }

        var endpoint = new MetricsEndpoint(listener, registry, log);
        endpoint._acceptThread.Start();
        return endpoint;
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _listener.Dispose();
        foreach (Socket connection in _connections.Keys)
        {
            connection.Dispose();
        }

        _acceptThread.Join(TimeSpan.FromSeconds(5));

        // Fluent Bit unloads the plugin after exit: no scrape may still be running plugin code then.
        _handlers.Signal();
        _handlers.Wait(TimeSpan.FromSeconds(5));
    }

    private void AcceptLoop()
    {
        while (!_stopping)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
            catch (SocketException e)
            {
                _log.Warn($"accepting a scrape connection failed: {e.Message}");
                continue;
            }

            if (!_handlers.TryAddCount())
            {
                connection.Dispose();
                return;
            }

            _connections[connection] = true;
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Endpoint.Serve(state.Connection), (Endpoint: this, Connection: connection), preferLocal: false);
        }
    }

    private void Serve(Socket connection)
    {
        try
        {
            connection.ReceiveTimeout = SocketTimeoutMs;
            connection.SendTimeout = SocketTimeoutMs;
            connection.NoDelay = true;
            byte[] buffer = new byte[MaxRequestHeadBytes];
            int filled = 0;
            while (!_stopping)
            {
                int end = buffer.AsSpan(0, filled).IndexOf(HeadTerminator);
                if (end < 0)
                {
                    if (filled == buffer.Length)
                    {
                        Respond(connection, 431, "Request Header Fields Too Large", "text/plain; charset=utf-8", "request head too large\n"u8, false, false);
                        return;
                    }

                    int read = connection.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                    continue;
                }

                if (!HttpRequestHead.TryParse(buffer.AsSpan(0, end), out HttpRequestHead request))
                {
                    Respond(connection, 400, "Bad Request", "text/plain; charset=utf-8", "bad request\n"u8, false, false);
                    return;
                }

                bool keepAlive = Handle(connection, request);
                if (!keepAlive)
                {
                    return;
                }

                int consumed = end + HeadTerminator.Length;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The scraper went away or the endpoint is stopping: nothing to report.
        }
        catch (Exception e)
        {
            _log.Error($"serving a scrape failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            connection.Dispose();
            _handlers.Signal();
        }
    }

    /// <returns>Whether the connection may serve another request.</returns>
    private bool Handle(Socket connection, HttpRequestHead request)
    {
        bool head = request.Method == "HEAD";
        if (request.Method != "GET" && !head)
        {
            Respond(connection, 405, "Method Not Allowed", "text/plain; charset=utf-8", "only GET and HEAD are allowed\n"u8, head, false, "Allow: GET, HEAD\r\n");
            return false;
        }

        if (request.Path != "/metrics")
        {
            Respond(connection, 404, "Not Found", "text/plain; charset=utf-8", "not found: metrics are served at /metrics\n"u8, head, request.KeepAlive);
            return request.KeepAlive;
        }

        MemoryStream body = _bodies.Collect(_registry);
        try
        {
            Respond(connection, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", body.GetBuffer().AsSpan(0, (int)body.Length), head, request.KeepAlive);
        }
        finally
        {
            _bodies.Return(body);
        }

        return request.KeepAlive;
    }

    private static void Respond(Socket connection, int status, string reason, string contentType, ReadOnlySpan<byte> body, bool headOnly, bool keepAlive, string extraHeaders = "")
    {
        string headText = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n"
            + $"Connection: {(keepAlive ? "keep-alive" : "close")}\r\n{extraHeaders}\r\n";
        byte[] head = Encoding.ASCII.GetBytes(headText);
        connection.Send(head);
        if (!headOnly && body.Length > 0)
        {
            connection.Send(body);
        }
    }
}
