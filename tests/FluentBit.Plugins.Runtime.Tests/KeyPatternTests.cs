using System.Text;
using FluentBit.Plugins.CodeGen;
using FluentBit.Plugins.Metrics;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

public class KeyPatternTests
{
    [Theory]
    [InlineData("cpu0.p_cpu", "cpu0", "total")]
    [InlineData("cpu1.p_user", "cpu1", "user")]
    [InlineData("cpu15.p_system", "cpu15", "system")]
    [InlineData("a.p_b.p_c", "a", "b.p_c")]
    public void CapturesLabelsAndRewritesValues(string key, string cpu, string mode)
    {
        var matcher = new KeyPatternMatcher("{cpu}.p_{mode:cpu=total}");

        Assert.Equal(["cpu", "mode"], matcher.Labels);
        Assert.Equal([cpu, mode], matcher.Match(Encoding.UTF8.GetBytes(key))!);
    }

    [Theory]
    [InlineData("cpu_p")]
    [InlineData(".p_user")]
    [InlineData("cpu0.p_")]
    [InlineData("cpu0.x_user")]
    [InlineData("")]
    public void RejectsKeysThatDoNotMatch(string key)
    {
        var matcher = new KeyPatternMatcher("{cpu}.p_{mode:cpu=total}");

        Assert.Null(matcher.Match(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void LiteralPrefixAndSuffix()
    {
        var matcher = new KeyPatternMatcher("disk.{device}.bytes");

        Assert.Equal(["sda"], matcher.Match("disk.sda.bytes"u8)!);
        Assert.Null(matcher.Match("disk.sda.bytes2"u8));
        Assert.Null(matcher.Match("net.sda.bytes"u8));
    }

    [Fact]
    public void NonAsciiKeysKeepTheirText()
    {
        var matcher = new KeyPatternMatcher("{name}.v");

        Assert.Equal(["café☃"], matcher.Match(Encoding.UTF8.GetBytes("café☃.v"))!);
    }
}
