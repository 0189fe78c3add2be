using System;
using System.Globalization;
using System.Net;

namespace FluentBit.Plugins.Configuration;

/// <summary>The endpoint's settings: where it listens, who may scrape, TLS, and whether it serves the self-metrics.</summary>
internal sealed record PluginConfig(IPAddress HttpListen, int HttpPort)
{
    /// <summary>Who may scrape, when <c>http_user</c> is set; null serves everyone.</summary>
    internal BasicAuthCredentials? Credentials { get; init; }

    /// <summary>The PEM files to serve TLS with; null serves plain HTTP.</summary>
    internal TlsCertificateFiles? Tls { get; init; }

    /// <summary>Whether <c>/metrics</c> also serves the <c>fluentbit_plugin_*</c> families.</summary>
    internal bool SelfMetrics { get; init; } = true;

    /// <exception cref="PluginConfigException">A value is invalid.</exception>
    public static PluginConfig Read(IPropertySource properties, string pluginName, int defaultHttpPort)
    {
        return new PluginConfig(ParseListen(properties.Get(ConfigKeys.HttpListen)), ParsePort(properties.Get(ConfigKeys.HttpPort), defaultHttpPort))
        {
            Credentials = BasicAuthCredentials.Read(properties),
            Tls = TlsCertificateFiles.Read(properties),
            SelfMetrics = ParseSwitch(ConfigKeys.SelfMetrics, properties.Get(ConfigKeys.SelfMetrics), defaultValue: true),
        };
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
            $"invalid value '{value}' for {ConfigKeys.HttpListen}: expected an IP address to listen on, such as 0.0.0.0 (all interfaces, the default), 127.0.0.1 or ::");
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
            $"invalid value '{value}' for {ConfigKeys.HttpPort}: expected a TCP port number from 1 to 65535 (default {defaultPort})");
    }

    /// <summary>A boolean as Fluent Bit spells them: on/off, true/false, yes/no.</summary>
    private static bool ParseSwitch(string key, string? value, bool defaultValue)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null:
                return defaultValue;
            case "on" or "true" or "yes":
                return true;
            case "off" or "false" or "no":
                return false;
            default:
                throw new PluginConfigException(
                    $"invalid value '{value}' for {key}: expected on or off (default {(defaultValue ? "on" : "off")})");
        }
    }

    public string ListenDisplay => HttpListen.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{HttpListen}]:{HttpPort}"
        : $"{HttpListen}:{HttpPort}";

    /// <summary>Where the log line at Init says the metrics are served.</summary>
    internal string MetricsUrl => $"{(Tls is null ? "http" : "https")}://{ListenDisplay}/metrics";
}
