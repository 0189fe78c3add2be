using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// Where and how an instance pushes its series to one target (remote write or OTLP): its URL key and the keys beside
/// it, named by <see cref="PushKeys"/>. Secrets (the password, the token) never appear in a message.
/// </summary>
internal sealed class PushTargetConfig
{
    private const string HeadersExpected = "expected Name=value pairs separated by commas, such as X-Scope-OrgID=tenant-1";

    private PushTargetConfig(PushKeys keys, Uri url)
    {
        Keys = keys;
        Url = url;
        Interval = DefaultInterval(keys);
        Timeout = DefaultTimeout(keys);
    }

    /// <summary>The names of this target's keys.</summary>
    public PushKeys Keys { get; }

    public Uri Url { get; }

    public TimeSpan Interval { get; private init; }

    public TimeSpan Timeout { get; private init; }

    /// <summary>Basic auth sent with every push; null when <c>remote_write_user</c> is unset.</summary>
    public BasicAuthCredentials? Credentials { get; private init; }

    /// <summary>The file a bearer token is read from at every push (a rotated token is picked up); null if unset.</summary>
    public string? BearerTokenFile { get; private init; }

    /// <summary>The extra headers, in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private init; } = [];

    /// <summary>The CAs the receiver's certificate must chain to; null: the system's.</summary>
    public X509Certificate2Collection? TrustedCas { get; private init; }

    /// <summary>Whether the receiver's certificate and name are checked (on unless <c>..._tls_verify off</c>).</summary>
    public bool VerifyCertificate { get; private init; } = true;

    /// <summary>The URL without its user info or query, for log lines.</summary>
    public string UrlDisplay => Url.GetLeftPart(UriPartial.Path);

    /// <summary>
    /// The default interval, from <see cref="ConfigKeys.All"/>: Prometheus's default scrape interval, so a push and a
    /// scrape see alike.
    /// </summary>
    public static TimeSpan DefaultInterval(PushKeys keys) => DefaultDuration(keys.Interval);

    /// <summary>The default timeout: below the interval, so one slow push never overlaps the next one.</summary>
    public static TimeSpan DefaultTimeout(PushKeys keys) => DefaultDuration(keys.Timeout);

    /// <returns>Null when the target's URL key is unset (then no other key with its prefix may be).</returns>
    /// <exception cref="PluginConfigException">A value is invalid; the message names the key.</exception>
    public static PushTargetConfig? Read(IPropertySource properties, PushKeys keys)
    {
        string? url = properties.Get(keys.Url);
        if (url is null)
        {
            foreach (ConfigKey key in ConfigKeys.All.Where(k => k.Name.StartsWith(keys.Prefix, StringComparison.Ordinal)))
            {
                if (properties.Get(key.Name) is not null)
                {
                    throw new PluginConfigException($"{key.Name} is set but {keys.Url} is not: set the receiver's URL, such as {keys.UrlExample}");
                }
            }

            return null;
        }

        Uri uri = ParseUrl(keys, url);
        BasicAuthCredentials? credentials = BasicAuthCredentials.Read(properties, keys.User, keys.Passwd, keys.PasswdFile);
        string? tokenFile = properties.Get(keys.BearerTokenFile);
        if (tokenFile is not null)
        {
            if (credentials is not null)
            {
                throw new PluginConfigException(
                    $"set either {keys.User} (basic auth) or {keys.BearerTokenFile}, not both: a push sends one Authorization header");
            }

            // Read now so a wrong path fails Init; read again at every push, as Prometheus does, for rotated tokens.
            ConfigFile.ReadSecret(keys.BearerTokenFile, tokenFile);
        }

        string? caFile = properties.Get(keys.TlsCaFile);
        bool verify = Switches.Read(properties, keys.TlsVerify);
        if (uri.Scheme == Uri.UriSchemeHttp && (caFile is not null || properties.Get(keys.TlsVerify) is not null))
        {
            throw new PluginConfigException(
                $"{(caFile is not null ? keys.TlsCaFile : keys.TlsVerify)} is set but {keys.Url} '{uri.GetLeftPart(UriPartial.Path)}' is plain http: use an https:// URL for TLS");
        }

        return new PushTargetConfig(keys, uri)
        {
            Interval = ParseDuration(keys.Interval, properties.Get(keys.Interval), DefaultInterval(keys)),
            Timeout = ParseDuration(keys.Timeout, properties.Get(keys.Timeout), DefaultTimeout(keys)),
            Credentials = credentials,
            BearerTokenFile = tokenFile,
            Headers = ParseHeaders(keys, properties.Get(keys.Headers)),
            TrustedCas = caFile is null ? null : LoadCas(keys, caFile),
            VerifyCertificate = verify,
        };
    }

    /// <summary>The <c>Authorization</c> header of the next push, if any: the bearer token is read from its file each time.</summary>
    /// <exception cref="PluginConfigException">The token file cannot be read (any more) or is empty.</exception>
    public string? AuthorizationHeader() =>
        BearerTokenFile is not null
            ? "Bearer " + ConfigFile.ReadSecret(Keys.BearerTokenFile, BearerTokenFile)
            : Credentials?.AuthorizationHeader;

    public override string ToString() =>
        $"{UrlDisplay} every {Interval.TotalSeconds:0.###} s" + (Credentials is not null ? $" ({Credentials})" : BearerTokenFile is not null ? " (bearer token)" : "");

    private static Uri ParseUrl(PushKeys keys, string value)
    {
        if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Host.Length > 0)
        {
            if (uri.UserInfo.Length > 0)
            {
                throw new PluginConfigException(
                    $"invalid value for {keys.Url}: it holds a user name or password; set {keys.User} and {keys.PasswdFile} instead");
            }

            return uri;
        }

        throw new PluginConfigException(
            $"invalid value '{value}' for {keys.Url}: expected an http:// or https:// URL, such as {keys.UrlExample}");
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

    private static KeyValuePair<string, string>[] ParseHeaders(PushKeys keys, string? value)
    {
        if (value is null)
        {
            return [];
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach ((string name, string headerValue) in NameValueList.Split(value, what => InvalidHeaders(keys, value, what)))
        {
            if (name.Length == 0 || !name.All(IsTokenChar))
            {
                throw InvalidHeaders(keys, value, $"'{name}' is not a header name (letters, digits and !#$%&'*+-.^_`|~)");
            }

            if (keys.ReservedHeaders.FirstOrDefault(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase)) is string reserved)
            {
                throw InvalidHeaders(keys, value, reserved == "Authorization"
                    ? $"set Authorization with {keys.User} or {keys.BearerTokenFile}"
                    : $"the header {reserved} is set by the plugin on every push");
            }

            if (headers.Any(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw InvalidHeaders(keys, value, $"the header '{name}' is given twice");
            }

            if (headerValue.Length == 0 || headerValue.Any(c => c < 0x20 || c == 0x7f))
            {
                throw InvalidHeaders(keys, value, $"the header '{name}' has an empty value or a control character in it");
            }

            headers.Add(new KeyValuePair<string, string>(name, headerValue));
        }

        return headers.ToArray();
    }

    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static PluginConfigException InvalidHeaders(PushKeys keys, string value, string what) =>
        new($"invalid value '{value}' for {keys.Headers}: {what}; {HeadersExpected}");

    private static X509Certificate2Collection LoadCas(PushKeys keys, string path)
    {
        var cas = new X509Certificate2Collection();
        try
        {
            cas.ImportFromPem(ConfigFile.ReadText(keys.TlsCaFile, path));
        }
        catch (CryptographicException e)
        {
            throw new PluginConfigException($"{keys.TlsCaFile} '{path}' is not a PEM certificate: {e.Message}");
        }

        return cas.Count > 0
            ? cas
            : throw new PluginConfigException($"{keys.TlsCaFile} '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
}
