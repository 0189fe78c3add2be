using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// The key table of docs/configuration.md, the keys a user is told an exporter accepts: one reader for the tests that
/// hold the code to it (ArchitectureTests) and those that use it as an oracle independent of the code (the config map's).
/// </summary>
public static partial class ConfigurationPage
{
    private const string Heading = "# Configuration keys of an exporter";

    /// <summary>The section from its heading to the next <c>##</c> heading.</summary>
    public static string KeyTable()
    {
        string page = File.ReadAllText(Path.Combine(Vectors.RepoRoot(), "docs", "configuration.md"));
        int start = page.IndexOf(Heading, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/configuration.md has no '{Heading}' section");
        }

        int end = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? page[start..] : page[start..end];
    }

    /// <summary>The key names of the table's rows, in the page's order.</summary>
    public static string[] Keys() => [.. KeyRow().Matches(KeyTable()).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^\| `([a-z_.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex KeyRow();
}
