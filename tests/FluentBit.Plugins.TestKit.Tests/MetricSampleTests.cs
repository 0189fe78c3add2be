using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace FluentBit.Plugins.TestKit.Tests;

public class MetricSampleTests
{
    [Fact]
    public void SamplesAreParsedWithEscapedLabelsAndSpecialValues()
    {
        IReadOnlyList<MetricSample> samples = MetricSample.Parse(
            "# HELP m a metric\n# TYPE m histogram\nm_bucket{path=\"/a\\\"b\\\\c\\nd\",le=\"+Inf\"} 3\nm_sum 1.5e-3 1700000000000\nm_count NaN\nup -Inf\n");

        Assert.Equal(["m_bucket", "m_sum", "m_count", "up"], samples.Select(s => s.Name));
        Assert.Equal("/a\"b\\c\nd", samples[0].Label("path"));
        Assert.Equal("+Inf", samples[0].Label("le"));
        Assert.True(samples[0].Is("m_bucket", [("le", "+Inf"), ("path", "/a\"b\\c\nd")]));
        Assert.False(samples[0].Is("m_bucket", [("le", "+Inf")]));
        Assert.Equal(0.0015, samples[1].Value);
        Assert.True(double.IsNaN(samples[2].Value));
        Assert.Equal(double.NegativeInfinity, samples[3].Value);
        Assert.Throws<System.FormatException>(() => MetricSample.Parse("m{a=\"x\"} many"));
    }
}
