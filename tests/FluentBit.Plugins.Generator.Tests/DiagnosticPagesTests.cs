using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using FluentBit.Plugins.Testing;
using Microsoft.CodeAnalysis;
using Xunit;

namespace FluentBit.Plugins.Generator.Tests;

/// <summary>
/// docs/diagnostics holds one page per diagnostic id, and each diagnostic's help link opens its page: the
/// generator's descriptors and the ids the package's MSBuild targets raise at publish.
/// </summary>
public class DiagnosticPagesTests
{
    private const string PagePath = "docs/diagnostics/";

    private static readonly string Pages = Path.Combine(Vectors.RepoRoot(), "docs", "diagnostics");

    private static DiagnosticDescriptor[] Descriptors() =>
        typeof(Diagnostics.DiagnosticDescriptors)
            .GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();

    /// <summary>The &lt;Error&gt; and &lt;Warning&gt; of the targets that carry an FBP code, by code.</summary>
    private static Dictionary<string, XElement> MSBuildDiagnostics() =>
        XDocument.Load(Path.Combine(Vectors.RepoRoot(), "src", "Runtime", "build", "FluentBit.Plugins.targets"))
            .Descendants()
            .Where(e => e.Name.LocalName is "Error" or "Warning" && e.Attribute("Code")?.Value.StartsWith("FBP", StringComparison.Ordinal) == true)
            .ToDictionary(e => e.Attribute("Code")!.Value, StringComparer.Ordinal);

    /// <summary>Every id with its severity as a page states it ("error", "warning").</summary>
    private static Dictionary<string, string> AllIds()
    {
        var ids = Descriptors().ToDictionary(d => d.Id, d => d.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning", StringComparer.Ordinal);
        foreach (KeyValuePair<string, XElement> msbuild in MSBuildDiagnostics())
        {
            ids.Add(msbuild.Key, msbuild.Value.Name.LocalName == "Error" ? "error" : "warning");
        }

        return ids;
    }

    /// <summary>Every .md but the index is a page, so a page whose file name is no id (a typo, lower case) fails here too.</summary>
    private static string[] PageIds() =>
        Directory.GetFiles(Pages, "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n != "README")
            .Select(n => n!)
            .ToArray();

    [Fact]
    public void EveryIdHasAPageAndEveryPageAnId()
    {
        Assert.Equal(AllIds().Keys.Order(StringComparer.Ordinal), PageIds().Order(StringComparer.Ordinal));
    }

    /// <summary>The title line is the id and, for the generator's diagnostics, the descriptor's title (backticks aside); the severity line follows.</summary>
    [Fact]
    public void EveryPageIsTitledWithItsIdAndStatesItsSeverity()
    {
        Dictionary<string, string> titles = Descriptors().ToDictionary(d => d.Id, d => d.Title.ToString(), StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> id in AllIds())
        {
            string[] lines = File.ReadAllLines(Path.Combine(Pages, id.Key + ".md"));
            Assert.StartsWith($"# {id.Key}: ", lines[0]);
            if (titles.TryGetValue(id.Key, out string? title))
            {
                Assert.Equal($"# {id.Key}: {title}", lines[0].Replace("`", ""));
            }

            Assert.True(lines.Any(l => l.StartsWith($"**Severity:** {id.Value}", StringComparison.Ordinal)), $"{id.Key}.md does not say '**Severity:** {id.Value}'");
        }
    }

    [Fact]
    public void EveryHelpLinkOpensItsPage()
    {
        foreach (DiagnosticDescriptor descriptor in Descriptors())
        {
            Assert.EndsWith(PagePath + descriptor.Id + ".md", descriptor.HelpLinkUri);
            Assert.Equal(Diagnostics.DiagnosticDescriptors.HelpBase + descriptor.Id + ".md", descriptor.HelpLinkUri);
        }

        foreach (KeyValuePair<string, XElement> msbuild in MSBuildDiagnostics())
        {
            Assert.Equal(Diagnostics.DiagnosticDescriptors.HelpBase + msbuild.Key + ".md", msbuild.Value.Attribute("HelpLink")?.Value);
        }
    }

    [Fact]
    public void TheIndexLinksEveryPage()
    {
        string index = File.ReadAllText(Path.Combine(Pages, "README.md"));
        foreach (KeyValuePair<string, string> id in AllIds())
        {
            Assert.Contains($"| [{id.Key}]({id.Key}.md) | {id.Value}", index);
        }
    }
}
