using System;
using System.IO;
using System.Linq;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit.Compatibility;

/// <summary>
/// The compatibility table (docs/compatibility.md) and the facts the compatibility tier asserts (<see cref="FluentBitLines"/>) say
/// the same: one row per tested version, its definition size, whether YAML loads plugins and whether Fluent Bit
/// refuses a misspelt key. Runs without Fluent Bit.
/// </summary>
public class CompatibilityTableTests
{
    // Vectors.RepoRoot() finds the root from its caller's file, two levels below it: this file is deeper.
    private static readonly string RepoRoot = Path.GetFullPath(Path.Combine(Vectors.Root, "..", ".."));

    [Fact]
    public void TheTableHasARowPerTestedVersionThatMatchesTheTier()
    {
        string readme = File.ReadAllText(Path.Combine(RepoRoot, "docs", "compatibility.md"));
        int start = readme.IndexOf("# Fluent Bit versions", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/compatibility.md has no '# Fluent Bit versions' section");
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string[][] rows = readme[start..end].Split('\n')
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsAsciiDigit(l[2]))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToArray();

        Assert.Equal(FluentBitLines.Tested.Select(v => v.ToString()), rows.Select(r => r[0]));
        foreach (string[] row in rows)
        {
            var version = Version.Parse(row[0]);
            Assert.Equal($"{FluentBitLines.DefinitionSize(version)} bytes", row[2]);
            Assert.Equal("yes", row[3]);
            Assert.StartsWith(FluentBitLines.YamlPlugins(version) ? "yes" : "no", row[4]);
            Assert.StartsWith(FluentBitLines.ChecksKeys(version) ? "refused by Fluent Bit" : "ignored", row[5]);
            Assert.StartsWith("yes", row[6]);
            Assert.StartsWith("2N", row[7]);
        }
    }

    /// <summary>CI builds exactly the tested versions.</summary>
    [Fact]
    public void CiBuildsEveryTestedVersion()
    {
        string ci = File.ReadAllText(Path.Combine(RepoRoot, ".ci", "run"));
        string list = ci.Split('\n').Single(l => l.StartsWith("for version in ", StringComparison.Ordinal));
        Assert.Equal($"for version in {string.Join(' ', FluentBitLines.Tested.Select(v => v.ToString()))}; do", list);
    }
}
