using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Logging;
using FluentBit.Plugins.SelfMetrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Prometheus;

namespace FluentBit.Plugins.Endpoint;

/// <summary>
/// Answers every request Kestrel accepts for one instance: 413 for a request with a body, then basic auth
/// (when configured), then <c>/metrics</c>, <c>/-/healthy</c> and <c>/</c> for GET and HEAD; 404 and 405 otherwise.
/// </summary>
internal sealed class MetricsRequestHandler
{
    private const string PlainText = "text/plain; charset=utf-8";

    private static readonly byte[] BodyRefused = "request bodies are not accepted\n"u8.ToArray();
    private static readonly byte[] Unauthorized = "unauthorized\n"u8.ToArray();
    private static readonly byte[] NotFound = "not found: metrics are served at /metrics\n"u8.ToArray();
    private static readonly byte[] MethodNotAllowed = "only GET and HEAD are allowed\n"u8.ToArray();
    private static readonly byte[] Healthy = "healthy\n"u8.ToArray();
    private static readonly byte[] NotReady = "not ready\n"u8.ToArray();
    private static readonly byte[] Failed = "internal error; see the Fluent Bit log\n"u8.ToArray();

    private readonly MetricsExposition _exposition;
    private readonly PluginSelfMetrics _selfMetrics;
    private readonly BasicAuthCredentials? _credentials;
    private readonly string _challenge;
    private readonly byte[] _homePage;
    private readonly PluginLog _log;
    private readonly Action? _firstAnswered;
    private volatile bool _ready;
    private int _stopping;
    private int _inFlight;
    private int _served;

    public MetricsRequestHandler(
        CollectorRegistry registry, PluginSelfMetrics selfMetrics, BasicAuthCredentials? credentials, string pluginName, string description, PluginLog log,
        Action? firstAnswered)
    {
        _firstAnswered = firstAnswered;
        _exposition = new MetricsExposition(registry, selfMetrics);
        _selfMetrics = selfMetrics;
        _credentials = credentials;
        _challenge = $"Basic realm=\"{pluginName}\", charset=\"UTF-8\"";
        _homePage = HomePage.Render(pluginName, description);
        _log = log;
    }

    /// <summary>From now on <c>/-/healthy</c> answers 200: the instance is set up and flushes can arrive.</summary>
    public void MarkReady() => _ready = true;

    /// <summary>Makes new requests fail fast, so that <see cref="WaitIdle"/> can only see the count fall.</summary>
    public void BeginStopping()
    {
        _ready = false;
        Interlocked.Exchange(ref _stopping, 1);
    }

    /// <returns>False if a handler is still running after <paramref name="timeout"/>.</returns>
    public bool WaitIdle(TimeSpan timeout) => SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0, timeout);

    public async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _inFlight);
        if (_firstAnswered is not null && Volatile.Read(ref _served) == 0 && Interlocked.Exchange(ref _served, 1) == 0)
        {
            // Kestrel's start and its first request ran code no later request runs: the owner hears once it is answered.
            context.Response.OnCompleted(static state =>
            {
                ((Action)state)();
                return Task.CompletedTask;
            }, _firstAnswered);
        }

        try
        {
            if (Volatile.Read(ref _stopping) != 0)
            {
                context.Abort();
                return;
            }

            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The scraper went away or the endpoint is stopping: nothing to report.
        }
        catch (Exception e)
        {
            _log.Error($"serving {context.Request.Method} {context.Request.Path} failed: {e.GetType().Name}: {e.Message}");
            if (!context.Response.HasStarted)
            {
                context.Response.Headers.Clear();
                await WriteAsync(context, StatusCodes.Status500InternalServerError, PlainText, Failed).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private Task DispatchAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            // Kestrel would have to read the body to reuse the connection; none is ever needed, so it is closed instead.
            context.Response.Headers.Connection = "close";
            return WriteAsync(context, StatusCodes.Status413PayloadTooLarge, PlainText, BodyRefused);
        }

        if (_credentials is not null && !_credentials.Accepts(request.Headers.Authorization))
        {
            context.Response.Headers.WWWAuthenticate = _challenge;
            return WriteAsync(context, StatusCodes.Status401Unauthorized, PlainText, Unauthorized);
        }

        string path = request.Path.Value ?? "";
        if (path is not ("/metrics" or "/-/healthy" or "/"))
        {
            return WriteAsync(context, StatusCodes.Status404NotFound, PlainText, NotFound);
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            return WriteAsync(context, StatusCodes.Status405MethodNotAllowed, PlainText, MethodNotAllowed);
        }

        return path switch
        {
            "/metrics" => ServeMetricsAsync(context),
            "/-/healthy" => _ready
                ? WriteAsync(context, StatusCodes.Status200OK, PlainText, Healthy)
                : WriteAsync(context, StatusCodes.Status503ServiceUnavailable, PlainText, NotReady),
            _ => WriteAsync(context, StatusCodes.Status200OK, HomePage.ContentType, _homePage),
        };
    }

    private async Task ServeMetricsAsync(HttpContext context)
    {
        long start = Stopwatch.GetTimestamp();
        HttpRequest request = context.Request;
        ExpositionFormat format = ExpositionNegotiation.ChooseFormat(request.Headers.Accept);
        MemoryStream exposition = await _exposition.SerializeAsync(format, context.RequestAborted).ConfigureAwait(false);
        MemoryStream? compressed = null;
        try
        {
            ReadOnlyMemory<byte> body = exposition.GetBuffer().AsMemory(0, (int)exposition.Length);
            context.Response.Headers.Vary = "Accept, Accept-Encoding";
            if (ExpositionNegotiation.AcceptsGzip(request.Headers.AcceptEncoding))
            {
                compressed = _exposition.Buffers.Rent();
                body = Gzip(body.Span, compressed);
                context.Response.Headers.ContentEncoding = "gzip";
            }

            _selfMetrics.ScrapeServed(start);
            await WriteAsync(context, StatusCodes.Status200OK, ExpositionNegotiation.ContentType(format), body).ConfigureAwait(false);
        }
        finally
        {
            // Only once the body is written: it points into these buffers.
            _exposition.Buffers.Return(exposition);
            if (compressed is not null)
            {
                _exposition.Buffers.Return(compressed);
            }
        }
    }

    private static ReadOnlyMemory<byte> Gzip(ReadOnlySpan<byte> body, MemoryStream compressed)
    {
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return compressed.GetBuffer().AsMemory(0, (int)compressed.Length);
    }

    private static Task WriteAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
