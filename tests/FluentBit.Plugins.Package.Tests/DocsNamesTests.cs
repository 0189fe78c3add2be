using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.Package.Tests;

/// <summary>
/// The documentation names only what exists: every relative link reaches a file (and, with <c>#anchor</c>, a heading
/// or <c>&lt;a id&gt;</c> of it), every repository path in backticks exists, every flag given to one of the root
/// scripts is one that script reads, and no user document carries the project's issue numbers.
/// </summary>
public partial class DocsNamesTests
{
    private static readonly string Root = Vectors.RepoRoot();

    public static TheoryData<string> Documents => new(
        new[] { "README.md", "CONTRIBUTING.md", "CHANGELOG.md", "src/Runtime/PACKAGE.md", "src/TestKit/PACKAGE.md", "src/Templates/PACKAGE.md", "tools/flb-host/README.md" }
            .Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)))
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryRelativeLinkReachesAFileAndItsAnchor(string document)
    {
        string path = Path.Combine(Root, document);
        var broken = new List<string>();
        foreach (Match link in Link().Matches(WithoutCodeBlocks(File.ReadAllText(path))))
        {
            string url = link.Groups[1].Value;
            if (url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal) || url.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = url.Split('#', 2);
            string target = parts[0].Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, parts[0]));
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                broken.Add($"{url}: no such file");
            }
            else if (parts.Length == 2 && target.EndsWith(".md", StringComparison.Ordinal) && !Anchors(target).Contains(parts[1]))
            {
                broken.Add($"{url}: no such heading");
            }
        }

        Assert.True(broken.Count == 0, $"{document}:\n{string.Join('\n', broken)}");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryRepositoryPathAndScriptFlagItNamesExists(string document)
    {
        string path = Path.Combine(Root, document);
        string text = File.ReadAllText(path);
        var missing = new List<string>();
        foreach (Match name in RepositoryPath().Matches(text))
        {
            string named = name.Groups[1].Value.TrimEnd('.', ',', ':', ';', ')');
            if (named.IndexOfAny(['*', '{', '<', '>', '|', '$']) >= 0 || named.Contains("nnn", StringComparison.Ordinal) || named.Contains("VERSION", StringComparison.Ordinal))
            {
                continue; // a pattern, not a path
            }

            string[] candidates = [Path.Combine(Root, named), Path.Combine(Path.GetDirectoryName(path)!, named)];
            if (!candidates.Any(c => File.Exists(c) || Directory.Exists(c)))
            {
                missing.Add(named);
            }
        }

        foreach (Match call in ScriptCall().Matches(text))
        {
            string script = File.ReadAllText(Path.Combine(Root, call.Groups[1].Value + ".sh"));
            missing.AddRange(call.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(flag => !script.Contains(flag, StringComparison.Ordinal))
                .Select(flag => $"./{call.Groups[1].Value}.sh {flag}"));
        }

        Assert.True(missing.Count == 0, $"{document} names what does not exist:\n{string.Join('\n', missing)}");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void NoIssueNumbers(string document)
    {
        string[] lines = File.ReadAllLines(Path.Combine(Root, document)).Where(l => IssueNumber().IsMatch(l)).ToArray();
        Assert.True(lines.Length == 0, $"{document} refers to the project's issues, which its readers cannot see:\n{string.Join('\n', lines)}");
    }

    /// <summary>GitHub's anchors of a Markdown file: its headings as slugs, and explicit <c>&lt;a id&gt;</c>s.</summary>
    private static HashSet<string> Anchors(string file)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in WithoutCodeBlocks(File.ReadAllText(file)).Split('\n'))
        {
            Match heading = Heading().Match(line);
            if (heading.Success)
            {
                string text = heading.Groups[1].Value.Replace("`", "", StringComparison.Ordinal).Trim().ToLowerInvariant();
                anchors.Add(NotSlug().Replace(text, "").Replace(' ', '-'));
            }

            foreach (Match id in ExplicitAnchor().Matches(line))
            {
                anchors.Add(id.Groups[1].Value);
            }
        }

        return anchors;
    }

    private static string WithoutCodeBlocks(string text) => CodeBlock().Replace(text, "");

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(?s)```.*?```")]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"^#+\s+(.*)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex NotSlug();

    [GeneratedRegex(@"<a id=""([^""]+)""")]
    private static partial Regex ExplicitAnchor();

    [GeneratedRegex(@"`((?:\./)?(?:src|tests|docs|tools|samples|eng|benchmarks|\.ci)/[^`\s]*|\./[\w\-]+\.sh|[\w\-]+\.sh)`")]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"\./(test|run-sample|bench|soak)\.sh((?: --[\w-]+)+)")]
    private static partial Regex ScriptCall();

    [GeneratedRegex(@"(?i)\bissues? #?\d+")]
    private static partial Regex IssueNumber();
}
