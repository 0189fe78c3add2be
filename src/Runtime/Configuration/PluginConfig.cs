using System;
using System.Globalization;
using System.Net;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// The settings every exporter instance reads. Fluent Bit keeps <c>host</c> and <c>port</c> for itself,
/// so the endpoint is configured with <c>http_listen</c> and <c>http_port</c>, as Fluent Bit's own exporter is.
/// </summary>
internal sealed record PluginConfig(IPAddress HttpListen, int HttpPort)
{
    public const string HttpListenKey = "http_listen";
    public const string HttpPortKey = "http_port";

    /// <summary>The keys an exporter accepts, in the order error messages list them.</summary>
    public static readonly string[] AcceptedKeys = [HttpListenKey, HttpPortKey, MetricsConfig.AddLabelsKey, MetricsConfig.SeriesExpiryKey];

    // Fluent Bit cannot list an instance's keys to a proxy plugin, so an unknown key is only
    // detectable by asking for it: these are the names people reach for instead of the real ones.
    private static readonly (string Key, string Meant)[] MistakenKeys =
    [
        ("listen", HttpListenKey), ("http_host", HttpListenKey), ("http.listen", HttpListenKey),
        ("http_address", HttpListenKey), ("http_addr", HttpListenKey), ("bind", HttpListenKey),
        ("address", HttpListenKey), ("listen_address", HttpListenKey), ("metrics_host", HttpListenKey),
        ("http.port", HttpPortKey), ("metrics_port", HttpPortKey), ("listen_port", HttpPortKey),
        ("http_server_port", HttpPortKey), ("httpport", HttpPortKey), ("prometheus_port", HttpPortKey),
    ];

    /// <exception cref="PluginConfigException">An unknown key is set or a value is invalid.</exception>
    public static PluginConfig Read(IPropertySource properties, string pluginName, int defaultHttpPort)
    {
        foreach ((string key, string meant) in MistakenKeys)
        {
            if (properties.Get(key) is not null)
            {
                throw new PluginConfigException(
                    $"unknown configuration key '{key}' (did you mean '{meant}'?); {pluginName} accepts: {string.Join(", ", AcceptedKeys)}");
            }
        }

        IPAddress listen = ParseListen(properties.Get(HttpListenKey));
        int port = ParsePort(properties.Get(HttpPortKey), defaultHttpPort);
        return new PluginConfig(listen, port);
    }

    private static IPAddress ParseListen(string? value)
    {
        if (value is null)
        {
            return IPAddress.Any;
        }

        string trimmed = value.Trim();
        if (string.Equals(trimmed, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(trimmed.Trim('[', ']'), out IPAddress? address))
        {
            return address;
        }

        throw new PluginConfigException(
            $"invalid value '{value}' for {HttpListenKey}: expected an IP address to listen on, such as 0.0.0.0 (all interfaces, the default), 127.0.0.1 or ::");
    }

    private static int ParsePort(string? value, int defaultPort)
    {
        if (value is null)
        {
            return defaultPort;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        throw new PluginConfigException(
            $"invalid value '{value}' for {HttpPortKey}: expected a TCP port number from 1 to 65535 (default {defaultPort})");
    }

    public string ListenDisplay => HttpListen.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{HttpListen}]:{HttpPort}"
        : $"{HttpListen}:{HttpPort}";
}
