using System;
using System.Globalization;
using System.Net;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// The instance's settings outside its metrics: whether the endpoint is served, where it listens, who may scrape,
/// TLS, whether it serves the self-metrics, and where the series are pushed.
/// </summary>
internal sealed record PluginConfig(IPAddress HttpListen, int HttpPort)
{
    /// <summary>Who may scrape, when <c>http_user</c> is set; null serves everyone.</summary>
    internal BasicAuthCredentials? Credentials { get; init; }

    /// <summary>The PEM files to serve TLS with; null serves plain HTTP.</summary>
    internal TlsCertificateFiles? Tls { get; init; }

    /// <summary>Whether <c>/metrics</c> also serves the <c>fluentbit_plugin_*</c> families.</summary>
    internal bool SelfMetrics { get; init; } = true;

    /// <summary>Whether the <c>/metrics</c> endpoint is served (<c>http_server</c>, on unless only pushing).</summary>
    internal bool HttpServer { get; init; } = true;

    /// <summary>Where the series are pushed with remote write; null: not pushed so.</summary>
    internal PushTargetConfig? RemoteWrite { get; init; }

    /// <summary>Where the series are pushed over OTLP; null: not pushed so. Both pushes may run together.</summary>
    internal OtlpConfig? Otlp { get; init; }

    /// <exception cref="PluginConfigException">A value is invalid.</exception>
    public static PluginConfig Read(IPropertySource properties, string pluginName, int defaultHttpPort)
    {
        bool httpServer = Switches.Read(properties, ConfigKeys.HttpServer);
        PushTargetConfig? remoteWrite = PushTargetConfig.Read(properties, PushKeys.RemoteWrite);
        OtlpConfig? otlp = OtlpConfig.Read(properties, pluginName, Environment.MachineName);
        if (!httpServer && remoteWrite is null && otlp is null)
        {
            throw new PluginConfigException(
                $"{ConfigKeys.HttpServer} is off and neither {ConfigKeys.RemoteWriteUrl} nor {ConfigKeys.OtlpUrl} is set: the metrics would go nowhere; set one of them to push them");
        }

        return new PluginConfig(ParseListen(properties.Get(ConfigKeys.HttpListen) ?? ConfigKeys.DefaultOf(ConfigKeys.HttpListen)), ParsePort(properties.Get(ConfigKeys.HttpPort), defaultHttpPort))
        {
            Credentials = BasicAuthCredentials.Read(properties),
            Tls = TlsCertificateFiles.Read(properties),
            SelfMetrics = Switches.Read(properties, ConfigKeys.SelfMetrics),
            HttpServer = httpServer,
            RemoteWrite = remoteWrite,
            Otlp = otlp,
        };
    }

    private static IPAddress ParseListen(string value)
    {
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

    public string ListenDisplay => HttpListen.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{HttpListen}]:{HttpPort}"
        : $"{HttpListen}:{HttpPort}";

    /// <summary>Where the log line at Init says the metrics are served.</summary>
    internal string MetricsUrl => $"{(Tls is null ? "http" : "https")}://{ListenDisplay}/metrics";
}
