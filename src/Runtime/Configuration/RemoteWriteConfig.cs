using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// Where and how an instance pushes its series with Prometheus remote write: <c>remote_write_url</c> and the
/// <c>remote_write_*</c> keys beside it. Secrets (the password, the token) never appear in a message.
/// </summary>
internal sealed class RemoteWriteConfig
{
    /// <summary>The default <c>remote_write_interval</c>: Prometheus's default scrape interval, so a push and a scrape see alike.</summary>
    public static readonly TimeSpan DefaultInterval = DefaultDuration(ConfigKeys.RemoteWriteInterval);

    /// <summary>The default <c>remote_write_timeout</c>: below the interval, so one slow push never overlaps the next one.</summary>
    public static readonly TimeSpan DefaultTimeout = DefaultDuration(ConfigKeys.RemoteWriteTimeout);

    // Set by the runtime on every push: a header of the same name in remote_write_headers would send them twice or
    // contradict the body. Authorization has keys of its own (user and password, or a bearer token file).
    private static readonly string[] ReservedHeaders =
    [
        "Authorization", "Content-Type", "Content-Encoding", "Content-Length", "X-Prometheus-Remote-Write-Version",
        "Host", "Transfer-Encoding", "Connection",
    ];

    private const string HeadersExpected = "expected Name=value pairs separated by commas, such as X-Scope-OrgID=tenant-1";

    private RemoteWriteConfig(Uri url)
    {
        Url = url;
    }

    public Uri Url { get; }

    public TimeSpan Interval { get; private init; } = DefaultInterval;

    public TimeSpan Timeout { get; private init; } = DefaultTimeout;

    /// <summary>Basic auth sent with every push; null when <c>remote_write_user</c> is unset.</summary>
    public BasicAuthCredentials? Credentials { get; private init; }

    /// <summary>The file a bearer token is read from at every push (a rotated token is picked up); null if unset.</summary>
    public string? BearerTokenFile { get; private init; }

    /// <summary>The extra headers, in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private init; } = [];

    /// <summary>The CAs the receiver's certificate must chain to; null: the system's.</summary>
    public X509Certificate2Collection? TrustedCas { get; private init; }

    /// <summary>Whether the receiver's certificate and name are checked (on unless <c>remote_write_tls_verify off</c>).</summary>
    public bool VerifyCertificate { get; private init; } = true;

    /// <summary>The URL without its user info or query, for log lines.</summary>
    public string UrlDisplay => Url.GetLeftPart(UriPartial.Path);

    /// <returns>Null when <c>remote_write_url</c> is unset (then no other <c>remote_write_*</c> key may be).</returns>
    /// <exception cref="PluginConfigException">A value is invalid; the message names the key.</exception>
    public static RemoteWriteConfig? Read(IPropertySource properties)
    {
        string? url = properties.Get(ConfigKeys.RemoteWriteUrl);
        if (url is null)
        {
            foreach (ConfigKey key in ConfigKeys.All.Where(k => k.Name.StartsWith("remote_write_", StringComparison.Ordinal)))
            {
                if (properties.Get(key.Name) is not null)
                {
                    throw new PluginConfigException($"{key.Name} is set but {ConfigKeys.RemoteWriteUrl} is not: set the receiver's URL, such as http://prometheus:9090/api/v1/write");
                }
            }

            return null;
        }

        Uri uri = ParseUrl(url);
        BasicAuthCredentials? credentials = BasicAuthCredentials.Read(
            properties, ConfigKeys.RemoteWriteUser, ConfigKeys.RemoteWritePasswd, ConfigKeys.RemoteWritePasswdFile);
        string? tokenFile = properties.Get(ConfigKeys.RemoteWriteBearerTokenFile);
        if (tokenFile is not null)
        {
            if (credentials is not null)
            {
                throw new PluginConfigException(
                    $"set either {ConfigKeys.RemoteWriteUser} (basic auth) or {ConfigKeys.RemoteWriteBearerTokenFile}, not both: a push sends one Authorization header");
            }

            // Read now so a wrong path fails Init; read again at every push, as Prometheus does, for rotated tokens.
            ConfigFile.ReadSecret(ConfigKeys.RemoteWriteBearerTokenFile, tokenFile);
        }

        string? caFile = properties.Get(ConfigKeys.RemoteWriteTlsCaFile);
        bool verify = Switches.Read(properties, ConfigKeys.RemoteWriteTlsVerify);
        if (uri.Scheme == Uri.UriSchemeHttp && (caFile is not null || properties.Get(ConfigKeys.RemoteWriteTlsVerify) is not null))
        {
            throw new PluginConfigException(
                $"{(caFile is not null ? ConfigKeys.RemoteWriteTlsCaFile : ConfigKeys.RemoteWriteTlsVerify)} is set but {ConfigKeys.RemoteWriteUrl} '{uri.GetLeftPart(UriPartial.Path)}' is plain http: use an https:// URL for TLS");
        }

        return new RemoteWriteConfig(uri)
        {
            Interval = ParseDuration(ConfigKeys.RemoteWriteInterval, properties.Get(ConfigKeys.RemoteWriteInterval), DefaultInterval),
            Timeout = ParseDuration(ConfigKeys.RemoteWriteTimeout, properties.Get(ConfigKeys.RemoteWriteTimeout), DefaultTimeout),
            Credentials = credentials,
            BearerTokenFile = tokenFile,
            Headers = ParseHeaders(properties.Get(ConfigKeys.RemoteWriteHeaders)),
            TrustedCas = caFile is null ? null : LoadCas(caFile),
            VerifyCertificate = verify,
        };
    }

    /// <summary>The <c>Authorization</c> header of the next push, if any: the bearer token is read from its file each time.</summary>
    /// <exception cref="PluginConfigException">The token file cannot be read (any more) or is empty.</exception>
    public string? AuthorizationHeader() =>
        BearerTokenFile is not null
            ? "Bearer " + ConfigFile.ReadSecret(ConfigKeys.RemoteWriteBearerTokenFile, BearerTokenFile)
            : Credentials?.AuthorizationHeader;

    public override string ToString() =>
        $"{UrlDisplay} every {Interval.TotalSeconds:0.###} s" + (Credentials is not null ? $" ({Credentials})" : BearerTokenFile is not null ? " (bearer token)" : "");

    private static Uri ParseUrl(string value)
    {
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0)
        {
            if (uri.UserInfo.Length > 0)
            {
                throw new PluginConfigException(
                    $"invalid value for {ConfigKeys.RemoteWriteUrl}: it holds a user name or password; set {ConfigKeys.RemoteWriteUser} and {ConfigKeys.RemoteWritePasswdFile} instead");
            }

            return uri;
        }

        throw new PluginConfigException(
            $"invalid value '{value}' for {ConfigKeys.RemoteWriteUrl}: expected an http:// or https:// URL, such as http://prometheus:9090/api/v1/write");
    }

    private static TimeSpan DefaultDuration(string key) =>
        Durations.TryParse(ConfigKeys.DefaultOf(key), out TimeSpan duration) ? duration : throw new InvalidOperationException($"the default of {key} is not a duration");

    private static TimeSpan ParseDuration(string key, string? value, TimeSpan defaultValue)
    {
        if (value is null)
        {
            return defaultValue;
        }

        return Durations.TryParse(value, out TimeSpan duration)
            ? duration
            : throw new PluginConfigException($"invalid value '{value}' for {key}: expected {Durations.Syntax} (default {defaultValue.TotalSeconds:0}s)");
    }

    private static KeyValuePair<string, string>[] ParseHeaders(string? value)
    {
        if (value is null)
        {
            return [];
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach ((string name, string headerValue) in NameValueList.Split(value, what => InvalidHeaders(value, what)))
        {
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                throw InvalidHeaders(value, $"'{name}' is not a header name (letters, digits and !#$%&'*+-.^_`|~)");
            }

            if (ReservedHeaders.FirstOrDefault(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase)) is string reserved)
            {
                throw InvalidHeaders(value, reserved == "Authorization"
                    ? $"set Authorization with {ConfigKeys.RemoteWriteUser} or {ConfigKeys.RemoteWriteBearerTokenFile}"
                    : $"the header {reserved} is set by the plugin on every push");
            }

            if (headers.Any(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw InvalidHeaders(value, $"the header '{name}' is given twice");
            }

            if (headerValue.Length == 0 || headerValue.Any(c => c < 0x20 || c == 0x7f))
            {
                throw InvalidHeaders(value, $"the header '{name}' has an empty value or a control character in it");
            }

            headers.Add(new KeyValuePair<string, string>(name, headerValue));
        }

        return headers.ToArray();
    }

    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static PluginConfigException InvalidHeaders(string value, string what) =>
        new($"invalid value '{value}' for {ConfigKeys.RemoteWriteHeaders}: {what}; {HeadersExpected}");

    private static X509Certificate2Collection LoadCas(string path)
    {
        var cas = new X509Certificate2Collection();
        try
        {
            cas.ImportFromPem(ConfigFile.ReadText(ConfigKeys.RemoteWriteTlsCaFile, path));
        }
        catch (CryptographicException e)
        {
            throw new PluginConfigException($"{ConfigKeys.RemoteWriteTlsCaFile} '{path}' is not a PEM certificate: {e.Message}");
        }

        return cas.Count > 0
            ? cas
            : throw new PluginConfigException($"{ConfigKeys.RemoteWriteTlsCaFile} '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
}
