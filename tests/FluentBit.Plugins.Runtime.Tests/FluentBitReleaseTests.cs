using System;
using FluentBit.Plugins.Hosting;
using FluentBit.Plugins.Native;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>
/// Which Fluent Bit loaded the plugin, from what <c>fluent-bit --version</c> printed, and what the definition then has:
/// event_type from 4.2.0, config_map from 5.1.1; anything unknown counts as the smallest definition.
/// </summary>
public class FluentBitReleaseTests
{
    [Theory]
    [InlineData("Fluent Bit v5.1.1", "5.1.1", true, true)]
    [InlineData("Fluent Bit v5.1.0", "5.1.0", false, true)]
    [InlineData("Fluent Bit v4.2.8", "4.2.8", false, true)]
    [InlineData("Fluent Bit v4.2.0", "4.2.0", false, true)]
    [InlineData("Fluent Bit v4.1.1", "4.1.1", false, false)]
    [InlineData("Fluent Bit v2.2.3", "2.2.3", false, false)]
    [InlineData("Fluent Bit v5.2.0 | NIGHTLY_BUILD=123 - DO NOT USE IN PRODUCTION!", "5.2.0", true, true)]
    [InlineData("Fluent Bit v10.0.0 (flb-host)", "10.0.0", true, true)]
    public void AVersionLineGivesTheFieldsOfTheDefinition(string line, string version, bool configMap, bool eventType)
    {
        FluentBitRelease release = FluentBitRelease.Parse(line, "unused");

        Assert.Equal(Version.Parse(version), release.Version);
        Assert.Equal(configMap, release.ReadsConfigMap);
        Assert.Equal(eventType, release.HasEventType);
        Assert.Equal($"Fluent Bit {version}", release.Name);
    }

    [Theory]
    [InlineData("Fluent Bit v5.1")]
    [InlineData("Fluent Bit v5.1.1.2")]
    [InlineData("Fluent Bit v5.1.1a")]
    [InlineData("Fluent Bit 5.1.1")]
    [InlineData("fluent-bit v5.1.1")]
    [InlineData("Fluent Bit v99999.1.1")]
    [InlineData("")]
    public void AnythingElseIsUnknownAndGetsTheSmallestDefinition(string line)
    {
        FluentBitRelease release = FluentBitRelease.Parse(line, "unused");

        Assert.Null(release.Version);
        Assert.False(release.ReadsConfigMap);
        Assert.False(release.HasEventType);
        Assert.False(release.IsOlderThanTested);
        Assert.Equal($"unrecognised --version answer '{line}'", release.Source);
    }

    [Fact]
    public void NoAnswerKeepsTheReason()
    {
        FluentBitRelease release = FluentBitRelease.Parse(null, "Fluent Bit is a library in another program, whose executable is not asked");

        Assert.Null(release.Version);
        Assert.Equal("Fluent Bit is a library in another program, whose executable is not asked", release.Source);
        Assert.Equal("an unknown Fluent Bit", release.Name);
    }

    [Theory]
    [InlineData("2.1.10", true)]
    [InlineData("1.9.10", true)]
    [InlineData("2.2.0", false)]
    [InlineData("2.2.3", false)]
    [InlineData("5.1.1", false)]
    public void OnlyAVersionBeforeTheOldestTestedLineIsOlderThanTested(string version, bool older) =>
        Assert.Equal(older, FluentBitRelease.Parse($"Fluent Bit v{version}", "").IsOlderThanTested);

    /// <summary>The test host is not a fluent-bit executable: no loader symbol, so nothing is run and the answer is unknown.</summary>
    [Fact]
    public void InAProcessThatIsNotFluentBitNothingIsAsked()
    {
        Assert.Null(FluentBitExecutable.ReadVersionLine(out string why));
        Assert.Equal($"the process does not export {FluentBitExecutable.ProxyLoaderSymbol}: not a fluent-bit executable", why);
    }
}
