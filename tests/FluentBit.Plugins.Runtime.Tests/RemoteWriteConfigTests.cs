using System;
using System.IO;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>The <c>remote_write_*</c> keys and <c>http_server</c>: defaults, and a message naming the key for each bad value.</summary>
public class RemoteWriteConfigTests
{
    private const string Url = "http://127.0.0.1:9090/api/v1/write";

    [Fact]
    public void WithoutAUrlNothingIsPushedAndTheEndpointIsServed()
    {
        PluginConfig config = PluginConfig.Read(new TestProperties(), "cpu_exporter", 8989);

        Assert.Null(config.RemoteWrite);
        Assert.True(config.HttpServer);
    }

    [Fact]
    public void DefaultsPushEvery15SecondsWithA10SecondTimeoutAndVerifiedTls()
    {
        PushTargetConfig config = Read(("remote_write_url", "https://mimir.example:443/api/v1/push"));

        Assert.Equal(TimeSpan.FromSeconds(15), config.Interval);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Timeout);
        Assert.True(config.VerifyCertificate);
        Assert.Null(config.TrustedCas);
        Assert.Null(config.AuthorizationHeader());
        Assert.Empty(config.Headers);
        Assert.Equal("https://mimir.example/api/v1/push every 15 s", config.ToString());
    }

    [Fact]
    public void ReadsEveryKey()
    {
        using var certificates = new TestCertificates();
        PushTargetConfig config = Read(
            ("remote_write_url", "https://127.0.0.1:9443/api/v1/push"), ("remote_write_interval", "1m"), ("remote_write_timeout", "5s"),
            ("remote_write_user", "12345"), ("remote_write_passwd", "glc_token"),
            ("remote_write_headers", "X-Scope-OrgID=tenant-1, X-Extra = a=b"), ("remote_write_tls_ca_file", certificates.CaFile),
            ("remote_write_tls_verify", "on"));

        Assert.Equal(TimeSpan.FromMinutes(1), config.Interval);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Timeout);
        Assert.Equal("Basic " + Convert.ToBase64String("12345:glc_token"u8.ToArray()), config.AuthorizationHeader());
        Assert.Equal([new("X-Scope-OrgID", "tenant-1"), new("X-Extra", "a=b")], config.Headers);
        Assert.Single(config.TrustedCas!);
        Assert.DoesNotContain("glc_token", config.ToString());
    }

    [Fact]
    public void ABearerTokenIsReadFromItsFileAtEveryPush()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "first\n");
            PushTargetConfig config = Read(("remote_write_url", Url), ("remote_write_bearer_token_file", file));
            Assert.Equal("Bearer first", config.AuthorizationHeader());

            File.WriteAllText(file, "rotated");
            Assert.Equal("Bearer rotated", config.AuthorizationHeader());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("remote_write_url", "prometheus:9090", "invalid value 'prometheus:9090' for remote_write_url: expected an http:// or https:// URL, such as http://prometheus:9090/api/v1/write")]
    [InlineData("remote_write_url", "ftp://x/y", "invalid value 'ftp://x/y' for remote_write_url: expected an http:// or https:// URL, such as http://prometheus:9090/api/v1/write")]
    [InlineData("remote_write_url", "http://me:secret@x/api/v1/write", "invalid value for remote_write_url: it holds a user name or password; set remote_write_user and remote_write_passwd_file instead")]
    [InlineData("remote_write_interval", "15", "invalid value '15' for remote_write_interval: expected a whole number of seconds, minutes, hours or days: 30s, 10m, 1h, 2d (default 15s)")]
    [InlineData("remote_write_timeout", "0s", "invalid value '0s' for remote_write_timeout: expected a whole number of seconds, minutes, hours or days: 30s, 10m, 1h, 2d (default 10s)")]
    [InlineData("remote_write_headers", "X-Scope-OrgID", "invalid value 'X-Scope-OrgID' for remote_write_headers: 'X-Scope-OrgID' has no '='; expected Name=value pairs separated by commas, such as X-Scope-OrgID=tenant-1")]
    [InlineData("remote_write_headers", "Bad Name=1", "invalid value 'Bad Name=1' for remote_write_headers: 'Bad Name' is not a header name (letters, digits and !#$%&'*+-.^_`|~); expected Name=value pairs separated by commas, such as X-Scope-OrgID=tenant-1")]
    [InlineData("remote_write_headers", "content-encoding=gzip", "invalid value 'content-encoding=gzip' for remote_write_headers: the header Content-Encoding is set by the plugin on every push; expected Name=value pairs separated by commas, such as X-Scope-OrgID=tenant-1")]
    [InlineData("remote_write_headers", "Authorization=Bearer x", "invalid value 'Authorization=Bearer x' for remote_write_headers: set Authorization with remote_write_user or remote_write_bearer_token_file; expected Name=value pairs separated by commas, such as X-Scope-OrgID=tenant-1")]
    [InlineData("remote_write_headers", "A=1,a=2", "invalid value 'A=1,a=2' for remote_write_headers: the header 'a' is given twice; expected Name=value pairs separated by commas, such as X-Scope-OrgID=tenant-1")]
    [InlineData("remote_write_headers", "A=", "invalid value 'A=' for remote_write_headers: the header 'A' has an empty value or a control character in it; expected Name=value pairs separated by commas, such as X-Scope-OrgID=tenant-1")]
    [InlineData("remote_write_tls_verify", "maybe", "invalid value 'maybe' for remote_write_tls_verify: expected on or off (default on)")]
    [InlineData("remote_write_user", "a:b", "invalid value 'a:b' for remote_write_user: a basic auth user name cannot contain ':'")]
    [InlineData("remote_write_passwd", "x", "remote_write_passwd is set but remote_write_user is not: basic auth needs both")]
    [InlineData("remote_write_tls_ca_file", "/nonexistent/ca.pem", "remote_write_tls_ca_file is set but remote_write_url 'http://127.0.0.1:9090/api/v1/write' is plain http: use an https:// URL for TLS")]
    public void ABadValueNamesItsKey(string key, string value, string message)
    {
        (string, string)[] properties = key == "remote_write_url" ? [(key, value)] : [("remote_write_url", Url), (key, value)];

        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new TestProperties(properties), "cpu_exporter", 8989));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("remote_write_interval")]
    [InlineData("remote_write_user")]
    [InlineData("remote_write_headers")]
    [InlineData("remote_write_tls_verify")]
    public void ARemoteWriteKeyWithoutTheUrlFailsInit(string key)
    {
        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new TestProperties((key, "x")), "cpu_exporter", 8989));

        Assert.Equal($"{key} is set but remote_write_url is not: set the receiver's URL, such as http://prometheus:9090/api/v1/write", error.Message);
    }

    [Fact]
    public void BasicAuthAndABearerTokenTogetherFailInit()
    {
        var error = Assert.Throws<PluginConfigException>(() => Read(
            ("remote_write_url", Url), ("remote_write_user", "u"), ("remote_write_passwd", "p"), ("remote_write_bearer_token_file", "/etc/hostname")));

        Assert.Equal("set either remote_write_user (basic auth) or remote_write_bearer_token_file, not both: a push sends one Authorization header", error.Message);
    }

    [Fact]
    public void AMissingTokenOrCaFileFailsInitNamingKeyAndFile()
    {
        var token = Assert.Throws<PluginConfigException>(() => Read(("remote_write_url", Url), ("remote_write_bearer_token_file", "/nonexistent/token")));
        var ca = Assert.Throws<PluginConfigException>(() => Read(("remote_write_url", "https://x/api/v1/write"), ("remote_write_tls_ca_file", "/etc/hostname")));

        Assert.StartsWith("remote_write_bearer_token_file '/nonexistent/token' cannot be read: ", token.Message);
        Assert.Equal("remote_write_tls_ca_file '/etc/hostname' holds no PEM certificate (-----BEGIN CERTIFICATE-----)", ca.Message);
    }

    [Fact]
    public void TheEndpointCanBeTurnedOffOnlyWhenPushing()
    {
        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new TestProperties(("http_server", "off")), "cpu_exporter", 8989));
        PluginConfig pushOnly = PluginConfig.Read(new TestProperties(("http_server", "off"), ("remote_write_url", Url)), "cpu_exporter", 8989);

        Assert.Equal("http_server is off and neither remote_write_url nor otlp_url is set: the metrics would go nowhere; set one of them to push them", error.Message);
        Assert.False(pushOnly.HttpServer);
        Assert.NotNull(pushOnly.RemoteWrite);
    }

    [Theory]
    [InlineData("push_url", "remote_write_url")]
    [InlineData("remote_write_password", "remote_write_passwd")]
    [InlineData("remote_write_ca_file", "remote_write_tls_ca_file")]
    public void AMistakenRemoteWriteKeyNamesTheOneMeant(string key, string meant)
    {
        var error = Assert.Throws<PluginConfigException>(() => ConfigKeys.RejectMistakenKeys(new TestProperties((key, "1")), "cpu_exporter"));

        Assert.StartsWith($"unknown configuration key '{key}' (did you mean '{meant}'?)", error.Message);
    }

    private static PushTargetConfig Read(params (string, string)[] properties) => PushTargetConfig.Read(new TestProperties(properties), PushKeys.RemoteWrite)!;
}
