using System.Collections.Concurrent;
using System.IO;

namespace FluentBit.Plugins.Exposition;

/// <summary>
/// The buffers an endpoint writes its expositions into, kept from one scrape to the next. A new
/// <see cref="MemoryStream"/> per scrape grows by doubling, and past 85 KB (10,000 series are about 1 MB of text)
/// each of its buffers is a large-object-heap allocation that can start a full, blocking collection, which stops
/// the flushes: measured in docs/benchmarks.md, 20 scrapes a second of 10,000 series made flushes 2.9 times
/// slower that way. A few buffers are kept (scrapes rarely overlap); one that grew past
/// <see cref="MaxKeptBytes"/> is left to the collector.
/// </summary>
internal sealed class ExpositionBuffers
{
    /// <summary>Buffers kept for concurrent scrapes.</summary>
    public const int MaxKept = 4;

    /// <summary>The largest buffer kept.</summary>
    public const int MaxKeptBytes = 64 * 1024 * 1024;

    private readonly ConcurrentQueue<MemoryStream> _kept = new();

    /// <summary>An empty buffer, kept from an earlier scrape when there is one.</summary>
    public MemoryStream Rent() => _kept.TryDequeue(out MemoryStream? body) ? body : new MemoryStream();

    /// <summary>Keeps <paramref name="body"/> for a later scrape, emptied, unless enough are kept or it is too large.</summary>
    public void Return(MemoryStream body)
    {
        if (body.Capacity <= MaxKeptBytes && _kept.Count < MaxKept)
        {
            body.SetLength(0);
            _kept.Enqueue(body);
        }
    }
}
