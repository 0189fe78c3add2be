namespace FluentBit.Plugins.Configuration;

/// <summary>
/// Every key an exporter instance reads from its <c>[OUTPUT]</c> section, named once: the readers of each part
/// (<see cref="PluginConfig"/>, <see cref="MetricsConfig"/>, <see cref="BasicAuthCredentials"/>,
/// <see cref="TlsCertificateFiles"/>) take their names from here, and the list an unknown-key error shows is
/// this one. Fluent Bit keeps <c>host</c>, <c>port</c> and every <c>tls*</c> key for itself, so the endpoint
/// is configured with <c>http_*</c> keys, as Fluent Bit's own exporter is.
/// </summary>
internal static class ConfigKeys
{
    public const string HttpListen = "http_listen";
    public const string HttpPort = "http_port";
    public const string HttpUser = "http_user";
    public const string HttpPasswd = "http_passwd";
    public const string HttpPasswdFile = "http_passwd_file";
    public const string HttpTlsCrtFile = "http_tls_crt_file";
    public const string HttpTlsKeyFile = "http_tls_key_file";
    public const string SelfMetrics = "self_metrics";
    public const string AddLabels = "add_labels";
    public const string SeriesExpiry = "series_expiry";
    public const string HttpServer = "http_server";
    public const string RemoteWriteUrl = "remote_write_url";
    public const string RemoteWriteInterval = "remote_write_interval";
    public const string RemoteWriteTimeout = "remote_write_timeout";
    public const string RemoteWriteUser = "remote_write_user";
    public const string RemoteWritePasswd = "remote_write_passwd";
    public const string RemoteWritePasswdFile = "remote_write_passwd_file";
    public const string RemoteWriteBearerTokenFile = "remote_write_bearer_token_file";
    public const string RemoteWriteHeaders = "remote_write_headers";
    public const string RemoteWriteTlsCaFile = "remote_write_tls_ca_file";
    public const string RemoteWriteTlsVerify = "remote_write_tls_verify";
    public const string OtlpUrl = "otlp_url";
    public const string OtlpInterval = "otlp_interval";
    public const string OtlpTimeout = "otlp_timeout";
    public const string OtlpUser = "otlp_user";
    public const string OtlpPasswd = "otlp_passwd";
    public const string OtlpPasswdFile = "otlp_passwd_file";
    public const string OtlpBearerTokenFile = "otlp_bearer_token_file";
    public const string OtlpHeaders = "otlp_headers";
    public const string OtlpTlsCaFile = "otlp_tls_ca_file";
    public const string OtlpTlsVerify = "otlp_tls_verify";
    public const string OtlpCompression = "otlp_compression";
    public const string OtlpResourceAttributes = "otlp_resource_attributes";

    /// <summary>
    /// Every key an exporter accepts, in the order error messages and <c>fluent-bit -h</c> list them, with what
    /// Fluent Bit's config map shows for it (5.1.1 and later, see ConfigMapTable): its type, its
    /// default as text (null: unset; <see cref="HttpPort"/>'s is the plugin's own) and a one-line description.
    /// </summary>
    public static readonly ConfigKey[] All =
    [
        new(HttpListen, ConfigKeyType.String, "0.0.0.0", "address the /metrics endpoint listens on (IPv4 or IPv6, or localhost)"),
        new(HttpPort, ConfigKeyType.Integer, null, "TCP port of the /metrics endpoint"),
        new(HttpUser, ConfigKeyType.String, null, "user name scrapers must send (HTTP basic auth); unset serves everyone"),
        new(HttpPasswd, ConfigKeyType.String, null, "password for http_user"),
        new(HttpPasswdFile, ConfigKeyType.String, null, "file holding the password for http_user, instead of http_passwd"),
        new(HttpTlsCrtFile, ConfigKeyType.String, null, "PEM server certificate (and chain): serve HTTPS"),
        new(HttpTlsKeyFile, ConfigKeyType.String, null, "PEM private key of http_tls_crt_file"),
        new(SelfMetrics, ConfigKeyType.Boolean, "on", "also serve the fluentbit_plugin_* self-metrics"),
        new(AddLabels, ConfigKeyType.String, null, "name=value,... constant labels on every metric of this instance"),
        new(SeriesExpiry, ConfigKeyType.String, null, "idle expiry of dynamic series: a duration or off, and/or metric=duration entries"),
        new(HttpServer, ConfigKeyType.Boolean, "on", "serve the /metrics endpoint; off only pushes (needs remote_write_url or otlp_url)"),
        new(RemoteWriteUrl, ConfigKeyType.String, null, "push every series to this Prometheus remote-write URL (http or https); unset: no push"),
        new(RemoteWriteInterval, ConfigKeyType.String, "15s", "time between two pushes (10s, 1m ...)"),
        new(RemoteWriteTimeout, ConfigKeyType.String, "10s", "time one push may take before it is abandoned and retried"),
        new(RemoteWriteUser, ConfigKeyType.String, null, "user name of the receiver's basic auth"),
        new(RemoteWritePasswd, ConfigKeyType.String, null, "password for remote_write_user"),
        new(RemoteWritePasswdFile, ConfigKeyType.String, null, "file holding the password for remote_write_user, instead of remote_write_passwd"),
        new(RemoteWriteBearerTokenFile, ConfigKeyType.String, null, "file holding a bearer token sent to the receiver (instead of basic auth)"),
        new(RemoteWriteHeaders, ConfigKeyType.String, null, "Name=value,... extra HTTP headers on every push, such as X-Scope-OrgID=tenant-1"),
        new(RemoteWriteTlsCaFile, ConfigKeyType.String, null, "PEM CA certificate(s) that sign the receiver's certificate, instead of the system's"),
        new(RemoteWriteTlsVerify, ConfigKeyType.Boolean, "on", "verify the receiver's certificate and name; off accepts any (tests only)"),
        new(OtlpUrl, ConfigKeyType.String, null, "push every series to this OTLP/HTTP metrics URL (http or https, such as http://collector:4318/v1/metrics); unset: no push"),
        new(OtlpInterval, ConfigKeyType.String, "15s", "time between two OTLP pushes (10s, 1m ...)"),
        new(OtlpTimeout, ConfigKeyType.String, "10s", "time one OTLP push may take before it is abandoned and retried"),
        new(OtlpUser, ConfigKeyType.String, null, "user name of the OTLP receiver's basic auth"),
        new(OtlpPasswd, ConfigKeyType.String, null, "password for otlp_user"),
        new(OtlpPasswdFile, ConfigKeyType.String, null, "file holding the password for otlp_user, instead of otlp_passwd"),
        new(OtlpBearerTokenFile, ConfigKeyType.String, null, "file holding a bearer token sent to the OTLP receiver (instead of basic auth)"),
        new(OtlpHeaders, ConfigKeyType.String, null, "Name=value,... extra HTTP headers on every OTLP push, such as X-Scope-OrgID=tenant-1"),
        new(OtlpTlsCaFile, ConfigKeyType.String, null, "PEM CA certificate(s) that sign the OTLP receiver's certificate, instead of the system's"),
        new(OtlpTlsVerify, ConfigKeyType.Boolean, "on", "verify the OTLP receiver's certificate and name; off accepts any (tests only)"),
        new(OtlpCompression, ConfigKeyType.String, "gzip", "gzip or none: how an OTLP push's body is compressed"),
        new(OtlpResourceAttributes, ConfigKeyType.String, null, "name=value,... resource attributes of the pushed metrics; service.name (default: the plugin's name) and host.name (default: this host's name) included"),
    ];

    /// <summary>
    /// The default of <paramref name="name"/> as <see cref="All"/> states it, which is what Fluent Bit's <c>-h</c> shows:
    /// the readers take their defaults from here, so the two cannot differ.
    /// </summary>
    public static string DefaultOf(string name) =>
        System.Array.Find(All, k => k.Name == name)?.Default ?? throw new System.ArgumentException($"{name} states no default", nameof(name));

    /// <summary>The names of <see cref="All"/>, in order.</summary>
    public static readonly string[] Accepted = [.. System.Linq.Enumerable.Select(All, k => k.Name)];

    // Fluent Bit cannot list an instance's keys to a proxy plugin, so an unknown key is only
    // detectable by asking for it: these are the names people reach for instead of the real ones.
    // (tls.* names never reach a plugin: Fluent Bit takes them for itself.)
    private static readonly (string Key, string Meant)[] MistakenKeys =
    [
        ("listen", HttpListen), ("http_host", HttpListen), ("http.listen", HttpListen),
        ("http_address", HttpListen), ("http_addr", HttpListen), ("bind", HttpListen),
        ("address", HttpListen), ("listen_address", HttpListen), ("metrics_host", HttpListen),
        ("http.port", HttpPort), ("metrics_port", HttpPort), ("listen_port", HttpPort),
        ("http_server_port", HttpPort), ("httpport", HttpPort), ("prometheus_port", HttpPort),
        ("http_username", HttpUser), ("http.user", HttpUser), ("basic_auth_user", HttpUser),
        ("http_password", HttpPasswd), ("http_pass", HttpPasswd), ("http.passwd", HttpPasswd), ("basic_auth_password", HttpPasswd),
        ("http_password_file", HttpPasswdFile), ("http_passwd_path", HttpPasswdFile),
        ("http_tls_cert_file", HttpTlsCrtFile), ("http_tls_crt", HttpTlsCrtFile), ("http_tls_cert", HttpTlsCrtFile), ("http_tls_certificate", HttpTlsCrtFile),
        ("http_tls_key", HttpTlsKeyFile), ("http_tls_private_key", HttpTlsKeyFile), ("http_tls_key_path", HttpTlsKeyFile),
        ("self_metric", SelfMetrics), ("selfmetrics", SelfMetrics), ("self_metrics_enabled", SelfMetrics), ("internal_metrics", SelfMetrics),
        ("add_label", AddLabels), ("labels", AddLabels), ("static_labels", AddLabels), ("const_labels", AddLabels),
        ("constant_labels", AddLabels), ("extra_labels", AddLabels), ("label", AddLabels),
        ("series_ttl", SeriesExpiry), ("expiry", SeriesExpiry), ("idle_expiry", SeriesExpiry), ("series_expire", SeriesExpiry),
        ("metric_expiry", SeriesExpiry), ("metrics_expiry", SeriesExpiry),
        ("http_enabled", HttpServer), ("http_server_enabled", HttpServer), ("endpoint", HttpServer), ("serve_metrics", HttpServer),
        ("remote_write", RemoteWriteUrl), ("remote_write_endpoint", RemoteWriteUrl), ("remotewrite_url", RemoteWriteUrl),
        ("remote_write.url", RemoteWriteUrl), ("push_url", RemoteWriteUrl), ("url", RemoteWriteUrl), ("uri", RemoteWriteUrl),
        ("remote_write_uri", RemoteWriteUrl), ("push_interval", RemoteWriteInterval), ("remote_write_period", RemoteWriteInterval),
        ("remote_write_flush_interval", RemoteWriteInterval), ("push_timeout", RemoteWriteTimeout), ("remote_timeout", RemoteWriteTimeout),
        ("remote_write_username", RemoteWriteUser), ("http_user_remote_write", RemoteWriteUser),
        ("remote_write_password", RemoteWritePasswd), ("remote_write_pass", RemoteWritePasswd),
        ("remote_write_password_file", RemoteWritePasswdFile), ("remote_write_bearer_token", RemoteWriteBearerTokenFile),
        ("bearer_token", RemoteWriteBearerTokenFile), ("bearer_token_file", RemoteWriteBearerTokenFile),
        ("remote_write_header", RemoteWriteHeaders), ("header", RemoteWriteHeaders), ("headers", RemoteWriteHeaders),
        ("remote_write_ca_file", RemoteWriteTlsCaFile), ("remote_write_tls_ca", RemoteWriteTlsCaFile), ("remote_write_ca", RemoteWriteTlsCaFile),
        ("remote_write_tls_verify_peer", RemoteWriteTlsVerify), ("remote_write_insecure_skip_verify", RemoteWriteTlsVerify),
        ("otlp_endpoint", OtlpUrl), ("otlp_metrics_url", OtlpUrl), ("otlp_uri", OtlpUrl), ("otel_url", OtlpUrl),
        ("otel_endpoint", OtlpUrl), ("otlp_http_url", OtlpUrl), ("otlp.url", OtlpUrl), ("otlp", OtlpUrl),
        ("otlp_push_interval", OtlpInterval), ("otlp_export_interval", OtlpInterval), ("otlp_period", OtlpInterval),
        ("otlp_export_timeout", OtlpTimeout), ("otlp_username", OtlpUser), ("otlp_password", OtlpPasswd),
        ("otlp_password_file", OtlpPasswdFile), ("otlp_bearer_token", OtlpBearerTokenFile), ("otlp_token", OtlpBearerTokenFile),
        ("otlp_header", OtlpHeaders), ("otel_headers", OtlpHeaders), ("otlp_ca_file", OtlpTlsCaFile), ("otlp_tls_ca", OtlpTlsCaFile),
        ("otlp_tls_verify_peer", OtlpTlsVerify), ("otlp_insecure", OtlpTlsVerify), ("otlp_compress", OtlpCompression),
        ("otlp_gzip", OtlpCompression), ("compression", OtlpCompression), ("otlp_resource", OtlpResourceAttributes),
        ("resource_attributes", OtlpResourceAttributes), ("otel_resource_attributes", OtlpResourceAttributes),
        ("otlp_service_name", OtlpResourceAttributes), ("service_name", OtlpResourceAttributes),
    ];

    /// <summary>Refuses a key set under a name people reach for instead of one of <see cref="Accepted"/>.</summary>
    /// <exception cref="PluginConfigException">Such a key is set; the message names the key meant.</exception>
    public static void RejectMistakenKeys(IPropertySource properties, string pluginName)
    {
        foreach ((string key, string meant) in MistakenKeys)
        {
            if (properties.Get(key) is not null)
            {
                throw new PluginConfigException(
                    $"unknown configuration key '{key}' (did you mean '{meant}'?); {pluginName} accepts: {string.Join(", ", Accepted)}");
            }
        }
    }
}

/// <summary>One key an exporter accepts, as Fluent Bit's config map and <c>fluent-bit -h</c> show it.</summary>
/// <param name="Name">The key, lower case.</param>
/// <param name="Type">How Fluent Bit's help describes the value (the runtime parses and checks the value itself).</param>
/// <param name="Default">The default as text; null when unset by default or, for <c>http_port</c>, the plugin's own.</param>
/// <param name="Description">One line for <c>fluent-bit -h</c>.</param>
internal sealed record ConfigKey(string Name, ConfigKeyType Type, string? Default, string Description);

/// <summary>The value types a key's config map entry declares (Fluent Bit's FLB_CONFIG_MAP_* of the same meaning).</summary>
internal enum ConfigKeyType
{
    String,
    Integer,
    Boolean,
}
