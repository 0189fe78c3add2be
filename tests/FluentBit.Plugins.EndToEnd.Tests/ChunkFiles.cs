using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FluentBit.Plugins.TestKit;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// JSON lines as chunk files for flb-host's <c>--chunks</c>: <c>batch</c> records a chunk, packed as Fluent Bit's JSON
/// parser packs them (<see cref="ChunkBuilder.AddJson"/>), in a temporary directory deleted on dispose. The host reads
/// no JSON of its own; Fluent Bit's tail input reading a log is checked in real Fluent Bit (RealFluentBit/Compatibility).
/// </summary>
internal sealed class ChunkFiles : IDisposable
{
    public ChunkFiles(IEnumerable<string> jsonLines, int batch = 1)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fbp-chunks-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
        int n = 0;
        foreach (string[] lines in jsonLines.Where(l => l.Trim().Length > 0).Chunk(batch))
        {
            var chunk = new ChunkBuilder();
            foreach (string line in lines)
            {
                chunk.AddJson(line);
            }

            File.WriteAllBytes(System.IO.Path.Combine(Path, $"{n++:D6}.msgpack"), chunk.ToArray());
        }
    }

    /// <summary>The directory, for <c>--chunks</c>.</summary>
    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
