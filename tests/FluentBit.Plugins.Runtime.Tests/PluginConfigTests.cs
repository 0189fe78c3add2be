using System;
using System.Collections.Generic;
using System.Net;
using FluentBit.Plugins.Configuration;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

public class PluginConfigTests
{
    private sealed class Properties(params (string Key, string Value)[] pairs) : IPropertySource
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Asked { get; } = new();

        public string? Get(string key)
        {
            Asked.Add(key);
            foreach ((string k, string v) in pairs)
            {
                _values[k] = v;
            }

            return _values.TryGetValue(key, out string? value) ? value : null;
        }
    }

    [Fact]
    public void DefaultsListenOnAllInterfacesAndThePluginsPort()
    {
        PluginConfig config = PluginConfig.Read(new Properties(), "cpu_exporter", 8989);

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
        PluginConfig config = PluginConfig.Read(new Properties(("http_listen", listen), ("http_port", "9100")), "cpu_exporter", 8989);

        Assert.Equal(display, config.ListenDisplay);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("80a")]
    [InlineData("-1")]
    public void RejectsABadPortNamingTheKeyAndTheRange(string port)
    {
        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new Properties(("http_port", port)), "cpu_exporter", 8989));

        Assert.Equal($"invalid value '{port}' for http_port: expected a TCP port number from 1 to 65535 (default 8989)", error.Message);
    }

    [Fact]
    public void RejectsABadListenAddress()
    {
        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new Properties(("http_listen", "example.org")), "cpu_exporter", 8989));

        Assert.Equal("invalid value 'example.org' for http_listen: expected an IP address to listen on, such as 0.0.0.0 (all interfaces, the default), 127.0.0.1 or ::", error.Message);
    }

    [Theory]
    [InlineData("listen", "http_listen")]
    [InlineData("metrics_port", "http_port")]
    [InlineData("HTTP.PORT", "http_port")]
    public void RejectsAKeyMeantAsAnotherNamingBoth(string key, string meant)
    {
        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new Properties((key, "1")), "cpu_exporter", 8989));

        Assert.Equal($"unknown configuration key '{key.ToLowerInvariant()}' (did you mean '{meant}'?); cpu_exporter accepts: http_listen, http_port, add_labels, series_expiry", error.Message);
    }
}
