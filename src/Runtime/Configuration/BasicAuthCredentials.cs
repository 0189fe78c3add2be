using System;
using System.Security.Cryptography;
using System.Text;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// A user and password of HTTP basic auth: the ones a scraper must send (<c>http_user</c> and <c>http_passwd</c>
/// or <c>http_passwd_file</c>), or the ones a push sends (<c>remote_write_user</c> ...). The password is kept
/// only as the credential bytes and never appears in a message: not in <see cref="ToString"/>, not in any exception.
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

    /// <summary>The <c>Authorization</c> header that sends these credentials.</summary>
    public string AuthorizationHeader => "Basic " + Convert.ToBase64String(_expected);

    /// <summary>The endpoint's credentials.</summary>
    /// <returns>Null when <c>http_user</c> is unset: the endpoint then serves without authentication.</returns>
    /// <exception cref="PluginConfigException">A password without a user, a user without a password, or an unreadable password file.</exception>
    public static BasicAuthCredentials? Read(IPropertySource properties) =>
        Read(properties, ConfigKeys.HttpUser, ConfigKeys.HttpPasswd, ConfigKeys.HttpPasswdFile);

    /// <summary>The credentials named by one user key and its two password keys.</summary>
    /// <returns>Null when <paramref name="userKey"/> is unset.</returns>
    /// <exception cref="PluginConfigException">A password without a user, a user without a password, or an unreadable password file.</exception>
    public static BasicAuthCredentials? Read(IPropertySource properties, string userKey, string passwordKey, string passwordFileKey)
    {
        string? user = properties.Get(userKey);
        string? password = properties.Get(passwordKey);
        string? passwordFile = properties.Get(passwordFileKey);
        if (password is not null && passwordFile is not null)
        {
            throw new PluginConfigException($"set either {passwordKey} or {passwordFileKey}, not both");
        }

        if (user is null)
        {
            if (password is not null || passwordFile is not null)
            {
                string key = password is not null ? passwordKey : passwordFileKey;
                throw new PluginConfigException($"{key} is set but {userKey} is not: basic auth needs both");
            }

            return null;
        }

        if (user.Contains(':'))
        {
            throw new PluginConfigException($"invalid value '{user}' for {userKey}: a basic auth user name cannot contain ':'");
        }

        if (password is null && passwordFile is null)
        {
            throw new PluginConfigException(
                $"{userKey} '{user}' is set without a password: set {passwordKey} or {passwordFileKey}");
        }

        return new BasicAuthCredentials(user, password ?? ConfigFile.ReadSecret(passwordFileKey, passwordFile!));
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
}
