using System.IO;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The published plugins stay within the README's budget of 12 MB (decimal): a size is the same on any machine with
/// the same SDK, so a feature that grows the image past it fails here, not in a user's container.
/// </summary>
public class LibrarySizeTests
{
    private const long Budget = 12_000_000;

    [Fact]
    public void EverySampleStaysWithinTwelveMegabytes()
    {
        foreach (string plugin in new[] { Artifacts.CpuExporter, Artifacts.AccessLogExporter, Artifacts.SpanMetrics })
        {
            long size = new FileInfo(plugin).Length;
            Assert.True(size <= Budget, $"{Path.GetFileName(plugin)} is {size:N0} bytes, over the {Budget:N0}-byte budget (README, 'The endpoint')");
        }
    }
}
