namespace FluentBit.Plugins.Configuration;

/// <summary>
/// The names of one push target's keys. Remote write and OTLP share the delivery and its settings (URL, interval,
/// timeout, auth, headers, TLS), each under its own prefix, so one reader (<see cref="PushTargetConfig"/>) reads both and
/// its messages name the keys of the target they are about. <c>Url</c> switches the push on; <c>UrlExample</c> is a URL
/// of the kind it expects, for messages; <c>ReservedHeaders</c> are the headers the runtime sets on every push, which
/// the headers key may not set.
/// </summary>
internal sealed class PushKeys(
    string url,
    string interval,
    string timeout,
    string user,
    string passwd,
    string passwdFile,
    string bearerTokenFile,
    string headers,
    string tlsCaFile,
    string tlsVerify,
    string urlExample,
    string[] reservedHeaders)
{
    public string Url { get; } = url;

    public string Interval { get; } = interval;

    public string Timeout { get; } = timeout;

    public string User { get; } = user;

    public string Passwd { get; } = passwd;

    public string PasswdFile { get; } = passwdFile;

    public string BearerTokenFile { get; } = bearerTokenFile;

    public string Headers { get; } = headers;

    public string TlsCaFile { get; } = tlsCaFile;

    public string TlsVerify { get; } = tlsVerify;

    public string UrlExample { get; } = urlExample;

    public string[] ReservedHeaders { get; } = reservedHeaders;

    // Set by the runtime on every push: a header of the same name would be sent twice or contradict the body.
    private static readonly string[] TransportHeaders =
        ["Authorization", "Content-Type", "Content-Encoding", "Content-Length", "Host", "Transfer-Encoding", "Connection"];

    public static readonly PushKeys RemoteWrite = new(
        ConfigKeys.RemoteWriteUrl, ConfigKeys.RemoteWriteInterval, ConfigKeys.RemoteWriteTimeout, ConfigKeys.RemoteWriteUser,
        ConfigKeys.RemoteWritePasswd, ConfigKeys.RemoteWritePasswdFile, ConfigKeys.RemoteWriteBearerTokenFile,
        ConfigKeys.RemoteWriteHeaders, ConfigKeys.RemoteWriteTlsCaFile, ConfigKeys.RemoteWriteTlsVerify,
        "http://prometheus:9090/api/v1/write", [.. TransportHeaders, "X-Prometheus-Remote-Write-Version"]);

    public static readonly PushKeys Otlp = new(
        ConfigKeys.OtlpUrl, ConfigKeys.OtlpInterval, ConfigKeys.OtlpTimeout, ConfigKeys.OtlpUser,
        ConfigKeys.OtlpPasswd, ConfigKeys.OtlpPasswdFile, ConfigKeys.OtlpBearerTokenFile,
        ConfigKeys.OtlpHeaders, ConfigKeys.OtlpTlsCaFile, ConfigKeys.OtlpTlsVerify,
        "http://otel-collector:4318/v1/metrics", TransportHeaders);

    /// <summary>What every key of the target starts with, such as <c>remote_write_</c>.</summary>
    public string Prefix => Url[..^"url".Length];
}
