using System;
using System.Security.Cryptography;
using System.Text;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// The user and password a scraper must send (HTTP basic auth), from <c>http_user</c> and <c>http_passwd</c>
/// or <c>http_passwd_file</c>. The password is kept only as the expected credential bytes and never
/// appears in a message: not in <see cref="ToString"/>, not in any exception.
/// </summary>
internal sealed class BasicAuthCredentials
{
    private readonly byte[] _expected;

    private BasicAuthCredentials(string user, string password)
    {
        User = user;
        _expected = Encoding.UTF8.GetBytes(user + ":" + password);
    }

    public string User { get; }

    /// <returns>Null when <c>http_user</c> is unset: the endpoint then serves without authentication.</returns>
    /// <exception cref="PluginConfigException">A password without a user, a user without a password, or an unreadable password file.</exception>
    public static BasicAuthCredentials? Read(IPropertySource properties)
    {
        string? user = properties.Get(ConfigKeys.HttpUser);
        string? password = properties.Get(ConfigKeys.HttpPasswd);
        string? passwordFile = properties.Get(ConfigKeys.HttpPasswdFile);
        if (password is not null && passwordFile is not null)
        {
            throw new PluginConfigException($"set either {ConfigKeys.HttpPasswd} or {ConfigKeys.HttpPasswdFile}, not both");
        }

        if (user is null)
        {
            if (password is not null || passwordFile is not null)
            {
                string key = password is not null ? ConfigKeys.HttpPasswd : ConfigKeys.HttpPasswdFile;
                throw new PluginConfigException($"{key} is set but {ConfigKeys.HttpUser} is not: basic auth needs both");
            }

            return null;
        }

        if (user.Contains(':'))
        {
            throw new PluginConfigException($"invalid value '{user}' for {ConfigKeys.HttpUser}: a basic auth user name cannot contain ':'");
        }

        if (password is null && passwordFile is null)
        {
            throw new PluginConfigException(
                $"{ConfigKeys.HttpUser} '{user}' is set without a password: set {ConfigKeys.HttpPasswd} or {ConfigKeys.HttpPasswdFile}");
        }

        return new BasicAuthCredentials(user, password ?? ReadPasswordFile(passwordFile!));
    }

    /// <summary>Whether an <c>Authorization</c> header carries exactly these credentials.</summary>
    public bool Accepts(string? authorization)
    {
        const string scheme = "Basic ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        ReadOnlySpan<char> encoded = authorization.AsSpan(scheme.Length).Trim();
        byte[] decoded = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(encoded, decoded, out int length))
        {
            return false;
        }

        // Constant time, so the response time reveals nothing about how much of a guess was right.
        return CryptographicOperations.FixedTimeEquals(decoded.AsSpan(0, length), _expected);
    }

    public override string ToString() => $"basic auth as '{User}'";

    private static string ReadPasswordFile(string path)
    {
        // A secret mounted from a file (Docker, Kubernetes) usually ends with a newline that is not part of it.
        string password = ConfigFile.ReadText(ConfigKeys.HttpPasswdFile, path).TrimEnd('\r', '\n');
        return password.Length > 0
            ? password
            : throw new PluginConfigException($"{ConfigKeys.HttpPasswdFile} '{path}' is empty");
    }
}
