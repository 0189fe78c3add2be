using System;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit.Compatibility;

/// <summary>
/// What each Fluent Bit line the compatibility tier runs (2.2.3, 3.2.10, 4.1.1, 4.2.8, 5.1.1) does with a plugin, as
/// the tier found it. The tests assert these, so a row of docs/compatibility.md's table (CompatibilityTableTests) that stops
/// being true fails a test in the version it concerns.
/// </summary>
internal static class FluentBitLines
{
    /// <summary>The versions the tier runs; CI builds each from ../shared/fluent-bit.</summary>
    public static readonly Version[] Tested = [new(2, 2, 3), new(3, 2, 10), new(4, 1, 1), new(4, 2, 8), new(5, 1, 1)];

    /// <summary>Size of <c>struct flb_plugin_proxy_def</c>: 32 bytes up to 4.1, 40 in 4.2 to 5.1.0, 48 from 5.1.1.</summary>
    public static int DefinitionSize(Version v) => v >= new Version(5, 1, 1) ? 48 : v >= new Version(4, 2, 0) ? 40 : 32;

    /// <summary>Fluent Bit reads the plugin's config map and refuses an unknown key itself (5.1.1 and later).</summary>
    public static bool ChecksKeys(Version v) => v >= new Version(5, 1, 1);

    /// <summary>YAML configuration has a top-level <c>plugins</c> list (not in 2.2.3, whose YAML has no such section).</summary>
    public static bool YamlPlugins(Version v) => v >= new Version(3, 0, 0);
}
