using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using FluentBit.Plugins.EndToEnd.Tests;
using FluentBit.Plugins.Testing;

namespace FluentBit.Plugins.Package.Tests;

/// <summary>
/// What a new user does, from packages: the framework packed into a folder feed with a version no earlier run used
/// (so no package cache can hold a stale copy), the template installed from its .nupkg into a private template
/// hive, a plugin created in a temporary folder outside this repository, its tests run, its .so published.
/// The created projects restore our packages from that feed only, and everything else from the machine's sources.
/// </summary>
public sealed class PackagedPlugin : IDisposable
{
    public const string ProjectName = "AcmeExporter";
    public const string PluginName = "acme_logs";

    public static readonly string[] PackageIds = ["FluentBit.Plugins", "FluentBit.Plugins.TestKit", "FluentBit.Plugins.Templates"];

    private readonly string _hive;

    public PackagedPlugin()
    {
        XDocument props = XDocument.Load(Path.Combine(Vectors.RepoRoot(), "Directory.Build.props"));
        string baseVersion = props.Descendants("Version").Single().Value;
        Version = $"{baseVersion}-ci.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Root = Path.Combine(Path.GetTempPath(), $"fbp-package-{Guid.NewGuid():N}");
        Feed = Path.Combine(Root, "feed");
        ProjectDirectory = Path.Combine(Root, ProjectName);
        _hive = Path.Combine(Root, "template-hive");
        Directory.CreateDirectory(Feed);
        Port = Scrape.FreePort();

        Step("pack", () => DotnetCli.Run(
            Vectors.RepoRoot(), "pack", "eng/Packages.slnf", "-c", "Release", "-o", Feed,
            "--artifacts-path", Path.Combine(Root, "artifacts"), $"-p:Version={Version}"));
        WriteNuGetConfig();
        Step("template", () =>
        {
            DotnetCli.Run(Root, "new", "install", Package("FluentBit.Plugins.Templates"), "--debug:custom-hive", _hive);
            DotnetCli.Run(Root, "new", "fluentbit-exporter", "-n", ProjectName, "-o", ProjectDirectory,
                "--plugin-name", PluginName, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--debug:custom-hive", _hive);
        });

        // No warning may pass but NU1603, which this machine's package mirror causes (it lacks some exact versions).
        string[] strict = ["-p:TreatWarningsAsErrors=true", "-p:WarningsNotAsErrors=NU1603"];
        TestOutput = Step("test", () => DotnetCli.Run(ProjectDirectory, ["test", .. strict]));
        PublishOutput = Step("publish", () => DotnetCli.Run(ProjectDirectory, ["publish", ProjectName, "-c", "Release", "-o", "out", .. strict]));
        Library = Path.Combine(ProjectDirectory, "out", PluginName + ".so");
    }

    /// <summary>This run's version of every package: a prerelease no earlier run packed.</summary>
    public string Version { get; }

    public string Root { get; }

    public string Feed { get; }

    public string ProjectDirectory { get; }

    /// <summary>The port given to the template's --port: the plugin's default http_port.</summary>
    public int Port { get; }

    public string TestOutput { get; }

    public string PublishOutput { get; }

    /// <summary>The published plugin.</summary>
    public string Library { get; }

    public List<(string Step, TimeSpan Took)> Timings { get; } = [];

    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public string SymbolPackage(string id) => Path.Combine(Feed, $"{id}.{Version}.snupkg");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        // This run's packages would only fill the machine's package cache.
        string cache = DotnetCli.Run(Path.GetTempPath(), "nuget", "locals", "global-packages", "--list").Split(':', 2)[1].Trim();
        foreach (string id in PackageIds)
        {
            string cached = Path.Combine(cache, id.ToLowerInvariant(), Version.ToLowerInvariant());
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }

            string versions = Path.GetDirectoryName(cached)!;
            if (Directory.Exists(versions) && !Directory.EnumerateFileSystemEntries(versions).Any())
            {
                Directory.Delete(versions);
            }
        }
    }

    private T Step<T>(string name, Func<T> step)
    {
        var clock = Stopwatch.StartNew();
        T result = step();
        Timings.Add((name, clock.Elapsed));
        return result;
    }

    private void Step(string name, Action step) => Step(name, () =>
    {
        step();
        return 0;
    });

    /// <summary>Our packages from the feed only; every other package from the sources this machine's NuGet uses.</summary>
    private void WriteNuGetConfig()
    {
        IReadOnlyList<string> sources = DotnetCli.EnabledSources(Path.GetTempPath());
        var config = new StringBuilder();
        config.AppendLine("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        config.AppendLine("<configuration>");
        config.AppendLine("  <packageSources>");
        config.AppendLine("    <clear />");
        config.AppendLine($"    <add key=\"fluentbit-plugins-feed\" value=\"{Feed}\" />");
        for (int i = 0; i < sources.Count; i++)
        {
            config.AppendLine($"    <add key=\"source{i}\" value=\"{sources[i]}\" />");
        }

        config.AppendLine("  </packageSources>");
        config.AppendLine("  <packageSourceMapping>");
        config.AppendLine("    <packageSource key=\"fluentbit-plugins-feed\"><package pattern=\"FluentBit.Plugins\" /><package pattern=\"FluentBit.Plugins.*\" /></packageSource>");
        for (int i = 0; i < sources.Count; i++)
        {
            config.AppendLine($"    <packageSource key=\"source{i}\"><package pattern=\"*\" /></packageSource>");
        }

        config.AppendLine("  </packageSourceMapping>");
        config.AppendLine("</configuration>");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), config.ToString());
    }
}
