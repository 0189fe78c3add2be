using System;
using System.IO;
using System.Net;
using FluentBit.Plugins.Configuration;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

public class PluginConfigTests
{
    [Fact]
    public void DefaultsListenOnAllInterfacesAndThePluginsPort()
    {
        PluginConfig config = PluginConfig.Read(new TestProperties(), "cpu_exporter", 8989);

        Assert.Equal(IPAddress.Any, config.HttpListen);
        Assert.Equal(8989, config.HttpPort);
        Assert.Equal("0.0.0.0:8989", config.ListenDisplay);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:9100")]
    [InlineData("::1", "[::1]:9100")]
    [InlineData("[::]", "[::]:9100")]
    [InlineData("localhost", "127.0.0.1:9100")]
    public void ReadsListenAndPort(string listen, string display)
    {
        PluginConfig config = PluginConfig.Read(new TestProperties(("http_listen", listen), ("http_port", "9100")), "cpu_exporter", 8989);

        Assert.Equal(display, config.ListenDisplay);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("80a")]
    [InlineData("-1")]
    public void RejectsABadPortNamingTheKeyAndTheRange(string port)
    {
        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new TestProperties(("http_port", port)), "cpu_exporter", 8989));

        Assert.Equal($"invalid value '{port}' for http_port: expected a TCP port number from 1 to 65535 (default 8989)", error.Message);
    }

    [Fact]
    public void RejectsABadListenAddress()
    {
        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new TestProperties(("http_listen", "example.org")), "cpu_exporter", 8989));

        Assert.Equal("invalid value 'example.org' for http_listen: expected an IP address to listen on, such as 0.0.0.0 (all interfaces, the default), 127.0.0.1 or ::", error.Message);
    }

    [Theory]
    [InlineData("listen", "http_listen")]
    [InlineData("metrics_port", "http_port")]
    [InlineData("HTTP.PORT", "http_port")]
    public void RejectsAKeyMeantAsAnotherNamingBoth(string key, string meant)
    {
        var error = Assert.Throws<PluginConfigException>(() => ConfigKeys.RejectMistakenKeys(new TestProperties((key, "1")), "cpu_exporter"));

        Assert.Equal($"unknown configuration key '{key.ToLowerInvariant()}' (did you mean '{meant}'?); cpu_exporter accepts: {AcceptedKeys}", error.Message);
    }

    private static readonly string AcceptedKeys = string.Join(", ", ConfigKeys.Accepted);

    [Theory]
    [InlineData("http_password", "http_passwd")]
    [InlineData("http_tls_cert_file", "http_tls_crt_file")]
    [InlineData("http_tls_key", "http_tls_key_file")]
    [InlineData("self_metrics_enabled", "self_metrics")]
    public void RejectsMistakenSecurityAndSelfMetricsKeys(string key, string meant)
    {
        var error = Assert.Throws<PluginConfigException>(() => ConfigKeys.RejectMistakenKeys(new TestProperties((key, "x")), "cpu_exporter"));

        Assert.Equal($"unknown configuration key '{key}' (did you mean '{meant}'?); cpu_exporter accepts: {AcceptedKeys}", error.Message);
    }

    [Fact]
    public void ByDefaultServesEveryonePlainHttpWithSelfMetrics()
    {
        PluginConfig config = PluginConfig.Read(new TestProperties(), "cpu_exporter", 8989);

        Assert.Null(config.Credentials);
        Assert.Null(config.Tls);
        Assert.True(config.SelfMetrics);
        Assert.Equal("http://0.0.0.0:8989/metrics", config.MetricsUrl);
    }

    [Theory]
    [InlineData("off", false)]
    [InlineData("Off", false)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("on", true)]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    public void SelfMetricsTakesFluentBitsBooleans(string value, bool expected)
    {
        Assert.Equal(expected, PluginConfig.Read(new TestProperties(("self_metrics", value)), "cpu_exporter", 8989).SelfMetrics);
    }

    [Fact]
    public void RejectsAnotherSelfMetricsValue()
    {
        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new TestProperties(("self_metrics", "sometimes")), "cpu_exporter", 8989));

        Assert.Equal("invalid value 'sometimes' for self_metrics: expected on or off (default on)", error.Message);
    }

    [Fact]
    public void BasicAuthTakesTheUserAndPasswordAndAcceptsOnlyThem()
    {
        PluginConfig config = PluginConfig.Read(new TestProperties(("http_user", "prom"), ("http_passwd", "s3cret:x")), "cpu_exporter", 8989);

        BasicAuthCredentials credentials = Assert.IsType<BasicAuthCredentials>(config.Credentials);
        Assert.True(credentials.Accepts("Basic " + Convert.ToBase64String("prom:s3cret:x"u8)));
        Assert.True(credentials.Accepts("basic  " + Convert.ToBase64String("prom:s3cret:x"u8)));
        Assert.False(credentials.Accepts("Basic " + Convert.ToBase64String("prom:s3cret"u8)));
        Assert.False(credentials.Accepts("Basic " + Convert.ToBase64String("Prom:s3cret:x"u8)));
        Assert.False(credentials.Accepts("Bearer " + Convert.ToBase64String("prom:s3cret:x"u8)));
        Assert.False(credentials.Accepts("Basic not-base64!"));
        Assert.False(credentials.Accepts(null));
    }

    [Fact]
    public void ThePasswordAppearsInNoTextOfTheConfig()
    {
        PluginConfig config = PluginConfig.Read(new TestProperties(("http_user", "prom"), ("http_passwd", "s3cret")), "cpu_exporter", 8989);

        Assert.Equal("basic auth as 'prom'", config.Credentials!.ToString());
        Assert.DoesNotContain("s3cret", config.ToString());
    }

    [Fact]
    public void ThePasswordMayComeFromAFileWithoutItsFinalNewline()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\n");
            PluginConfig config = PluginConfig.Read(new TestProperties(("http_user", "prom"), ("http_passwd_file", file)), "cpu_exporter", 8989);

            Assert.True(config.Credentials!.Accepts("Basic " + Convert.ToBase64String("prom:from-file"u8)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("http_user=prom", "http_user 'prom' is set without a password: set http_passwd or http_passwd_file")]
    [InlineData("http_passwd=x", "http_passwd is set but http_user is not: basic auth needs both")]
    [InlineData("http_passwd_file=/x", "http_passwd_file is set but http_user is not: basic auth needs both")]
    [InlineData("http_user=a:b,http_passwd=x", "invalid value 'a:b' for http_user: a basic auth user name cannot contain ':'")]
    [InlineData("http_user=prom,http_passwd=x,http_passwd_file=/x", "set either http_passwd or http_passwd_file, not both")]
    [InlineData("http_user=prom,http_passwd_file=/nonexistent/pw", "http_passwd_file '/nonexistent/pw' cannot be read: Could not find a part of the path '/nonexistent/pw'.")]
    [InlineData("http_tls_crt_file=/c.pem", "http_tls_crt_file is set but http_tls_key_file is not: TLS needs both PEM files")]
    [InlineData("http_tls_key_file=/k.pem", "http_tls_key_file is set but http_tls_crt_file is not: TLS needs both PEM files")]
    public void RejectsIncompleteSecuritySettingsNamingTheKeys(string settings, string message)
    {
        var pairs = Array.ConvertAll(settings.Split(','), s => (s[..s.IndexOf('=')], s[(s.IndexOf('=') + 1)..]));

        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new TestProperties(pairs), "cpu_exporter", 8989));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void AnEmptyPasswordFileIsRejected()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "\n");

            var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new TestProperties(("http_user", "prom"), ("http_passwd_file", file)), "cpu_exporter", 8989));

            Assert.Equal($"http_passwd_file '{file}' is empty", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
