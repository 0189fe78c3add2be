using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// The real chunks Fluent Bit 5.1.1 passed to a plugin (copied from the ABI sheet's vectors into
/// tests/vectors, so the repository is self-contained).
/// </summary>
public static class Vectors
{
    public static string Root { get; } = Path.Combine(RepoRoot(), "tests", "vectors");

    /// <summary>The chunk files of a set, in the order Fluent Bit flushed them.</summary>
    public static string[] Chunks(string set) =>
        Directory.GetFiles(Path.Combine(Root, set), "*.msgpack").OrderBy(f => f, StringComparer.Ordinal).ToArray();

    public static string RepoRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
