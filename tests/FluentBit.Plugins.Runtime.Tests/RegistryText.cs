using System.IO;
using System.Text;
using Prometheus;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>A registry's exposition in the Prometheus text format, as a scrape of it reads.</summary>
internal static class RegistryText
{
    public static string Of(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
