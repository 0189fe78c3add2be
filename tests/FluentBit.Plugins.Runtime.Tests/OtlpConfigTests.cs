using System;
using System.Collections.Generic;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Otlp;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>The <c>otlp_*</c> keys: defaults, the resource, a message naming the key for each bad value; and the start-time rule.</summary>
public class OtlpConfigTests
{
    private const string Url = "http://127.0.0.1:4318/v1/metrics";

    [Fact]
    public void DefaultsPushGzipEvery15SecondsAsTheServiceNamedAfterThePluginOnThisHost()
    {
        OtlpConfig config = Read(("otlp_url", "https://collector.example:4318/v1/metrics"));

        Assert.Equal(TimeSpan.FromSeconds(15), config.Target.Interval);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Target.Timeout);
        Assert.True(config.Gzip);
        Assert.True(config.Target.VerifyCertificate);
        Assert.Equal([new("service.name", "cpu_exporter"), new("host.name", "node-7")], config.ResourceAttributes);
        Assert.Equal("https://collector.example:4318/v1/metrics every 15 s over OTLP (gzip, service.name cpu_exporter)", config.ToString());
    }

    [Fact]
    public void ReadsEveryKeyAndTheResourceReplacesOrAddsAttributes()
    {
        OtlpConfig config = Read(
            ("otlp_url", Url), ("otlp_interval", "30s"), ("otlp_timeout", "5s"), ("otlp_user", "123"), ("otlp_passwd", "glc"),
            ("otlp_headers", "X-Scope-OrgID=t1"), ("otlp_compression", "none"),
            ("otlp_resource_attributes", "deployment.environment.name=prod, service.name=checkout"));

        Assert.Equal(TimeSpan.FromSeconds(30), config.Target.Interval);
        Assert.Equal(TimeSpan.FromSeconds(5), config.Target.Timeout);
        Assert.False(config.Gzip);
        Assert.Equal("Basic " + Convert.ToBase64String("123:glc"u8.ToArray()), config.Target.AuthorizationHeader());
        Assert.Equal([new("X-Scope-OrgID", "t1")], config.Target.Headers);
        Assert.Equal(
            [new("service.name", "checkout"), new("host.name", "node-7"), new("deployment.environment.name", "prod")],
            config.ResourceAttributes);
        Assert.DoesNotContain("glc", config.ToString());
    }

    [Theory]
    [InlineData("otlp_compression", "zstd", "invalid value 'zstd' for otlp_compression: expected gzip or none (default gzip)")]
    [InlineData("otlp_resource_attributes", "service.name", "invalid value 'service.name' for otlp_resource_attributes: 'service.name' has no '='; expected name=value pairs separated by commas, such as service.name=checkout,deployment.environment.name=prod")]
    [InlineData("otlp_resource_attributes", "a=1,a=2", "invalid value 'a=1,a=2' for otlp_resource_attributes: the attribute 'a' is given twice; expected name=value pairs separated by commas, such as service.name=checkout,deployment.environment.name=prod")]
    [InlineData("otlp_interval", "soon", "invalid value 'soon' for otlp_interval: expected ")]
    [InlineData("otlp_headers", "Content-Encoding=br", "invalid value 'Content-Encoding=br' for otlp_headers: the header Content-Encoding is set by the plugin on every push")]
    [InlineData("otlp_tls_verify", "off", "otlp_tls_verify is set but otlp_url 'http://127.0.0.1:4318/v1/metrics' is plain http: use an https:// URL for TLS")]
    public void ABadValueFailsInitNamingTheKey(string key, string value, string message)
    {
        var error = Assert.Throws<PluginConfigException>(() => Read(("otlp_url", Url), (key, value)));

        Assert.StartsWith(message, error.Message);
    }

    [Theory]
    [InlineData("otlp_interval")]
    [InlineData("otlp_compression")]
    [InlineData("otlp_resource_attributes")]
    public void AnOtlpKeyWithoutTheUrlFailsInit(string key)
    {
        var error = Assert.Throws<PluginConfigException>(() => PluginConfig.Read(new TestProperties((key, "x")), "cpu_exporter", 8989));

        Assert.Equal($"{key} is set but otlp_url is not: set the receiver's URL, such as http://otel-collector:4318/v1/metrics", error.Message);
    }

    [Fact]
    public void RemoteWriteAndOtlpMayRunTogetherAndEitherLetsTheEndpointBeOff()
    {
        PluginConfig both = PluginConfig.Read(
            new TestProperties(("remote_write_url", "http://127.0.0.1:9090/api/v1/write"), ("otlp_url", Url)), "cpu_exporter", 8989);
        PluginConfig otlpOnly = PluginConfig.Read(new TestProperties(("http_server", "off"), ("otlp_url", Url)), "cpu_exporter", 8989);

        Assert.NotNull(both.RemoteWrite);
        Assert.NotNull(both.Otlp);
        Assert.False(otlpOnly.HttpServer);
        Assert.Null(otlpOnly.RemoteWrite);
    }

    [Theory]
    [InlineData("otlp_endpoint", "otlp_url")]
    [InlineData("otlp_password", "otlp_passwd")]
    [InlineData("resource_attributes", "otlp_resource_attributes")]
    public void AMistakenOtlpKeyNamesTheOneMeant(string key, string meant)
    {
        var error = Assert.Throws<PluginConfigException>(() => ConfigKeys.RejectMistakenKeys(new TestProperties((key, "1")), "cpu_exporter"));

        Assert.StartsWith($"unknown configuration key '{key}' (did you mean '{meant}'?)", error.Message);
    }

    [Fact]
    public void ACumulativeSeriesStartsWithTheInstanceOrAfterTheSnapshotBeforeItAppearedOrWentDown()
    {
        var starts = new SeriesStartTimes(instanceStartNanos: 100);

        Assert.Equal(100UL, starts.StartOf("a", 5));
        starts.EndSnapshot(1_000);
        Assert.Equal(100UL, starts.StartOf("a", 7));
        Assert.Equal(1_000UL, starts.StartOf("b", 1));
        starts.EndSnapshot(2_000);
        Assert.Equal(2_000UL, starts.StartOf("a", 2)); // reset: the value went down
        starts.EndSnapshot(3_000);
        Assert.Equal(2_000UL, starts.StartOf("a", 2));
        Assert.Equal(3_000UL, starts.StartOf("b", 1)); // gone from the last snapshot (expired), back now
    }

    private static OtlpConfig Read(params (string, string)[] properties) => OtlpConfig.Read(new TestProperties(properties), "cpu_exporter", "node-7")!;
}
