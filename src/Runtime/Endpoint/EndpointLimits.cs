using System;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FluentBit.Plugins.Endpoint;

/// <summary>
/// The endpoint's deliberate limits. A scrape is one small GET; anything that holds a connection without
/// being one must not be able to keep the metrics from Prometheus, nor Fluent Bit from stopping.
/// </summary>
internal static class EndpointLimits
{
    /// <summary>
    /// Above a few hundred idle or stalled connections (the tests hold 400) so scrapes still get through,
    /// yet far below the 1024 file descriptors Fluent Bit often runs with: a flood cannot starve its inputs.
    /// </summary>
    public const int MaxConcurrentConnections = 512;

    /// <summary>A scraper sends its headers at once; a silent or dripping connection is closed this soon (Kestrel: 30 s).</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Keeps a connection across the usual 15 s and 30 s scrape intervals, half Kestrel's 130 s.</summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Kestrel's is 10 s, the same as a header timeout would need; a TLS handshake on loopback or a LAN takes milliseconds.</summary>
    public static readonly TimeSpan TlsHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Headers of a scrape, basic auth included, are well under 1 KiB.</summary>
    public const int MaxRequestHeadersTotalSize = 16 * 1024;

    public const int MaxRequestHeaderCount = 64;

    public const int MaxHttp2StreamsPerConnection = 16;

    /// <summary>How long Exit lets requests in flight finish before Kestrel aborts their connections (a scrape takes milliseconds).</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// When Exit returns at the latest, even if a request handler is stuck: the grace, Kestrel's own wait of up to
    /// 1 s for aborted connections, and what is left for the handlers. Fluent Bit's shutdown grace is 5 s by default.
    /// </summary>
    public static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(2);

    public static void ApplyTo(KestrelServerOptions options)
    {
        options.AddServerHeader = false;
        KestrelServerLimits limits = options.Limits;
        limits.MaxConcurrentConnections = MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = 0;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.MaxRequestBodySize = 0;
        limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
        limits.Http2.MaxStreamsPerConnection = MaxHttp2StreamsPerConnection;
    }

    public static void ApplyTo(HttpsConnectionAdapterOptions options) => options.HandshakeTimeout = TlsHandshakeTimeout;
}
