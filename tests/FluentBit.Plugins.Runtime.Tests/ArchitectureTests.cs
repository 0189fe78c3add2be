using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>docs/architecture.md and the code say the same: the runtime's layers and the configuration keys.</summary>
public partial class ArchitectureTests
{
    private static readonly string RuntimeFolder = Path.Combine(Vectors.RepoRoot(), "src", "Runtime");

    /// <summary>The types of the Events layer, which live in the root namespace and so need no <c>using</c>.</summary>
    private static readonly string[] EventTypes = ["EventTimestamp", "EventContext", "EventReader", "TagParts"];

    /// <summary>
    /// The layer table of docs/architecture.md: every runtime folder is a row, and no file uses a layer its row
    /// does not name: by a <c>using</c>, a qualified name (<c>FluentBit.Plugins.Native.FlbApi</c>), a short one
    /// (<c>Native.FlbApi</c>, <c>global::FluentBit.Plugins.Native</c>), or an Events type.
    /// </summary>
    [Fact]
    public void EveryLayerUsesOnlyTheLayersTheArchitectureAllows()
    {
        Dictionary<string, HashSet<string>> allowed = LayerTable();
        string[] folders = Directory.GetDirectories(RuntimeFolder)
            .Select(Path.GetFileName).Where(f => f is not ("bin" or "obj" or "build")).Select(f => f!).Order().ToArray();
        Assert.Equal(folders, allowed.Keys.Order().ToArray());

        var violations = new List<string>();
        foreach (string folder in folders)
        {
            foreach (string file in Directory.GetFiles(Path.Combine(RuntimeFolder, folder), "*.cs"))
            {
                string text = File.ReadAllText(file);
                var used = new HashSet<string>(LayerReference().Matches(text).Concat(ShortLayerReference().Matches(text))
                    .Select(m => m.Groups[1].Value).Where(allowed.ContainsKey));
                if (folder != "Events" && EventTypes.Any(t => Regex.IsMatch(text, $@"\b{t}\b")))
                {
                    used.Add("Events");
                }

                used.Remove(folder);
                violations.AddRange(used.Where(u => !allowed[folder].Contains(u)).Select(u => $"{folder}/{Path.GetFileName(file)} uses {u}"));
            }
        }

        Assert.True(violations.Count == 0, "uses the layer table of docs/architecture.md does not allow:\n" + string.Join("\n", violations));
    }

    /// <summary>The table allows no cycle: each layer may use only layers above it in the table (listed earlier).</summary>
    [Fact]
    public void TheLayerTableRunsOneWay()
    {
        Dictionary<string, HashSet<string>> allowed = LayerTable();
        string[] order = [.. allowed.Keys];
        for (int i = 0; i < order.Length; i++)
        {
            Assert.All(allowed[order[i]], used => Assert.True(Array.IndexOf(order, used) < i, $"{order[i]} may use {used}, which comes after it"));
        }
    }

    /// <summary>docs/configuration.md's table of configuration keys lists exactly the keys an exporter accepts.</summary>
    [Fact]
    public void TheConfigurationPageDocumentsEveryConfigurationKeyAndNoOther()
    {
        string table = ConfigurationPage.KeyTable();
        string[] documented = ConfigurationPage.Keys();

        Assert.Equal(ConfigKeys.Accepted.Order(), documented.Order());

        // The default Fluent Bit's -h shows (from ConfigKeys) opens the page's default cell.
        foreach (ConfigKey key in ConfigKeys.All.Where(k => k.Default is not null))
        {
            string row = table.Split('\n').Single(l => l.StartsWith($"| `{key.Name}` |", StringComparison.Ordinal));
            Assert.StartsWith($"`{key.Default}`", row.Split('|')[2].Trim());
        }
    }

    /// <summary><c>FlbConfigMap</c> is Fluent Bit 5.1.1's <c>struct flb_config_map</c> byte for byte (x86-64, from its header).</summary>
    [Fact]
    public unsafe void TheConfigMapEntryHasFluentBitsLayout()
    {
        Assert.Equal(104, sizeof(FluentBit.Plugins.Native.FlbConfigMap));
        (string Field, int Offset)[] expected = [("Type", 0), ("Name", 8), ("DefValue", 16), ("Flags", 24), ("SetProperty", 28), ("Offset", 32), ("Desc", 40), ("_value", 48), ("_head", 88)];
        foreach ((string field, int offset) in expected)
        {
            Assert.Equal(offset, (int)System.Runtime.InteropServices.Marshal.OffsetOf<FluentBit.Plugins.Native.FlbConfigMap>(field));
        }

        Assert.Equal(40, (int)System.Runtime.InteropServices.Marshal.OffsetOf<FluentBit.Plugins.Native.FlbPluginProxyDef>("ConfigMap"));
        Assert.Equal(48, sizeof(FluentBit.Plugins.Native.FlbPluginProxyDef));
    }

    /// <summary>Layer → the layers it may use, in the table's order (a dictionary keeps insertion order here).</summary>
    private static Dictionary<string, HashSet<string>> LayerTable()
    {
        string doc = File.ReadAllText(Path.Combine(Vectors.RepoRoot(), "docs", "architecture.md"));
        int start = doc.IndexOf("| layer | holds | may use |", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no layer table");
        var table = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string line in doc[start..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|')))
        {
            string[] cells = line.Split('|');
            string layer = cells[1].Trim().Trim('`');
            table[layer] = [.. Regex.Matches(cells[3], "`([A-Za-z]+)`").Select(m => m.Groups[1].Value)];
        }

        return table;
    }

    /// <summary>
    /// Pointers stop at the native edge: <c>unsafe</c> (which any pointer needs) only in <c>Native</c> and in the exports
    /// (<c>Hosting/PluginRuntime.cs</c>); every layer between them handles memory and spans.
    /// </summary>
    [Fact]
    public void OnlyNativeAndTheExportsAreUnsafe()
    {
        string[] unsafeFiles = Directory.GetFiles(RuntimeFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"\bunsafe\b"))
            .Select(f => Path.GetRelativePath(RuntimeFolder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.StartsWith("Native/", StringComparison.Ordinal) && f != "Hosting/PluginRuntime.cs")
            .ToArray();
        Assert.True(unsafeFiles.Length == 0, "unsafe code outside Native and the exports:\n" + string.Join("\n", unsafeFiles));
    }

    [GeneratedRegex(@"FluentBit\.Plugins\.([A-Za-z]+)\b")]
    private static partial Regex LayerReference();

    /// <summary>A layer named as a qualifier (<c>Native.FlbApi</c>, in <c>cref</c>s too), not as part of a longer name.</summary>
    [GeneratedRegex(@"(?<![\w.])([A-Z][A-Za-z]+)\.[A-Z]\w*")]
    private static partial Regex ShortLayerReference();
}
