using System;
using System.Globalization;
using System.Net;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// The settings every exporter instance reads. Fluent Bit keeps <c>host</c>, <c>port</c> and every <c>tls*</c>
/// key for itself, so the endpoint is configured with <c>http_*</c> keys, as Fluent Bit's own exporter is.
/// </summary>
internal sealed record PluginConfig(IPAddress HttpListen, int HttpPort)
{
    public const string HttpListenKey = "http_listen";
    public const string HttpPortKey = "http_port";
    public const string HttpUserKey = "http_user";
    public const string HttpPasswdKey = "http_passwd";
    public const string HttpPasswdFileKey = "http_passwd_file";
    public const string HttpTlsCrtFileKey = "http_tls_crt_file";
    public const string HttpTlsKeyFileKey = "http_tls_key_file";
    public const string SelfMetricsKey = "self_metrics";

    /// <summary>The keys an exporter accepts, in the order error messages list them.</summary>
    public static readonly string[] AcceptedKeys =
    [
        HttpListenKey, HttpPortKey, HttpUserKey, HttpPasswdKey, HttpPasswdFileKey, HttpTlsCrtFileKey, HttpTlsKeyFileKey, SelfMetricsKey,
        MetricsConfig.AddLabelsKey, MetricsConfig.SeriesExpiryKey,
    ];

    // Fluent Bit cannot list an instance's keys to a proxy plugin, so an unknown key is only
    // detectable by asking for it: these are the names people reach for instead of the real ones.
    // (tls.* names never reach a plugin: Fluent Bit takes them for itself.)
    private static readonly (string Key, string Meant)[] MistakenKeys =
    [
        ("listen", HttpListenKey), ("http_host", HttpListenKey), ("http.listen", HttpListenKey),
        ("http_address", HttpListenKey), ("http_addr", HttpListenKey), ("bind", HttpListenKey),
        ("address", HttpListenKey), ("listen_address", HttpListenKey), ("metrics_host", HttpListenKey),
        ("http.port", HttpPortKey), ("metrics_port", HttpPortKey), ("listen_port", HttpPortKey),
        ("http_server_port", HttpPortKey), ("httpport", HttpPortKey), ("prometheus_port", HttpPortKey),
        ("http_username", HttpUserKey), ("http.user", HttpUserKey), ("basic_auth_user", HttpUserKey),
        ("http_password", HttpPasswdKey), ("http_pass", HttpPasswdKey), ("http.passwd", HttpPasswdKey), ("basic_auth_password", HttpPasswdKey),
        ("http_password_file", HttpPasswdFileKey), ("http_passwd_path", HttpPasswdFileKey),
        ("http_tls_cert_file", HttpTlsCrtFileKey), ("http_tls_crt", HttpTlsCrtFileKey), ("http_tls_cert", HttpTlsCrtFileKey), ("http_tls_certificate", HttpTlsCrtFileKey),
        ("http_tls_key", HttpTlsKeyFileKey), ("http_tls_private_key", HttpTlsKeyFileKey), ("http_tls_key_path", HttpTlsKeyFileKey),
        ("self_metric", SelfMetricsKey), ("selfmetrics", SelfMetricsKey), ("self_metrics_enabled", SelfMetricsKey), ("internal_metrics", SelfMetricsKey),
    ];

    /// <summary>Who may scrape, when <c>http_user</c> is set; null serves everyone.</summary>
    internal BasicAuthCredentials? Credentials { get; init; }

    /// <summary>The PEM files to serve TLS with; null serves plain HTTP.</summary>
    internal TlsCertificateFiles? Tls { get; init; }

    /// <summary>Whether <c>/metrics</c> also serves the <c>fluentbit_plugin_*</c> families.</summary>
    internal bool SelfMetrics { get; init; } = true;

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

        return new PluginConfig(ParseListen(properties.Get(HttpListenKey)), ParsePort(properties.Get(HttpPortKey), defaultHttpPort))
        {
            Credentials = BasicAuthCredentials.Read(properties),
            Tls = TlsCertificateFiles.Read(properties),
            SelfMetrics = ParseSwitch(SelfMetricsKey, properties.Get(SelfMetricsKey), defaultValue: true),
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
