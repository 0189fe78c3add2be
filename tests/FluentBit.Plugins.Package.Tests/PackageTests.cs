using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using FluentBit.Plugins.EndToEnd.Tests;
using FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.Package.Tests;

/// <summary>The packages as a user takes them: their contents, and a plugin made from the template, tested, published and run.</summary>
[Trait("Category", "Package")]
public class PackageTests : IClassFixture<PackagedPlugin>
{
    private readonly PackagedPlugin _plugin;

    public PackageTests(PackagedPlugin plugin, ITestOutputHelper output)
    {
        _plugin = plugin;
        foreach ((string step, TimeSpan took) in plugin.Timings)
        {
            output.WriteLine($"{step}: {took.TotalSeconds:F1} s");
        }
    }

    [Fact]
    public void TheRuntimePackageHoldsTheGeneratorAndThePublishSettings()
    {
        using ZipArchive package = ZipFile.OpenRead(_plugin.Package("FluentBit.Plugins"));
        string[] files = package.Entries.Select(e => e.FullName).ToArray();
        Assert.Contains("lib/net10.0/FluentBit.Plugins.dll", files);
        Assert.Contains("lib/net10.0/FluentBit.Plugins.xml", files);
        Assert.Contains("analyzers/dotnet/cs/FluentBit.Plugins.Generator.dll", files);
        foreach (string folder in new[] { "build", "buildTransitive" })
        {
            Assert.Contains($"{folder}/FluentBit.Plugins.props", files);
            Assert.Contains($"{folder}/FluentBit.Plugins.targets", files);
        }

        Assert.Contains("README.md", files);

        XElement metadata = Nuspec(package);
        Assert.Equal(_plugin.Version, Value(metadata, "version"));
        Assert.Equal("MIT", Value(metadata, "license"));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Equal("https://github.com/fluentbit-dotnet/FluentBit.Plugins", Element(metadata, "repository").Attribute("url")?.Value);

        // Dependencies and framework references are the runtime project's: versions from Directory.Packages.props.
        XDocument centralVersions = XDocument.Load(Path.Combine(Vectors.RepoRoot(), "Directory.Packages.props"));
        XDocument runtimeProject = XDocument.Load(Path.Combine(Vectors.RepoRoot(), "src", "Runtime", "FluentBit.Plugins.csproj"));
        Dictionary<string, string> dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value);
        foreach (string id in runtimeProject.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value))
        {
            string version = centralVersions.Descendants("PackageVersion").Single(v => v.Attribute("Include")!.Value == id).Attribute("Version")!.Value;
            Assert.Equal(version, dependencies[id]);
        }

        // Exactly those: MessagePack, prometheus-net, Google.Protobuf and Snappier (remote write), nothing else.
        Assert.Equal(runtimeProject.Descendants("PackageReference").Count(), dependencies.Count);
        Assert.Equal(4, dependencies.Count);
        string[] frameworkReferences = metadata.Descendants().Where(e => e.Name.LocalName == "frameworkReference").Select(e => e.Attribute("name")!.Value).Order().ToArray();
        Assert.Equal(runtimeProject.Descendants("FrameworkReference").Select(r => r.Attribute("Include")!.Value).Order().ToArray(), frameworkReferences);

        using ZipArchive symbols = ZipFile.OpenRead(_plugin.SymbolPackage("FluentBit.Plugins"));
        Assert.Contains("lib/net10.0/FluentBit.Plugins.pdb", symbols.Entries.Select(e => e.FullName));
    }

    /// <summary>
    /// The one command of the README publishes the template's plugin for linux-x64 and linux-arm64 from this x64
    /// machine (the arm64 link by the cross toolchain, which .ci/run installs); each .so is an ELF of its machine.
    /// Without the cross linker, the publish stops with FBP102, which says how to install it.
    /// </summary>
    [Fact]
    public void ThePluginPublishesForBothArchitecturesInOneCommand()
    {
        DotnetCli.Run(_plugin.ProjectDirectory, "msbuild", PackagedPlugin.ProjectName, "-t:PublishAllArchitectures", "-p:Configuration=Release");
        string published = Path.Combine(_plugin.ProjectDirectory, PackagedPlugin.ProjectName, "bin", "Release", "fluent-bit");
        Assert.Equal(62, ElfMachine(Path.Combine(published, "linux-x64", PackagedPlugin.PluginName + ".so"))); // EM_X86_64
        Assert.Equal(183, ElfMachine(Path.Combine(published, "linux-arm64", PackagedPlugin.PluginName + ".so"))); // EM_AARCH64

        var refused = Assert.Throws<InvalidOperationException>(() => DotnetCli.Run(
            _plugin.ProjectDirectory, "publish", PackagedPlugin.ProjectName, "-c", "Release", "-r", "linux-arm64", "-o", "out-no-linker",
            "-p:FluentBitCrossLinker=aarch64-linux-gnu-gcc-not-installed"));
        Assert.Contains("error FBP102: publishing for linux-arm64 on this x64 machine links with aarch64-linux-gnu-gcc-not-installed, which is not installed", refused.Message);
    }

    /// <summary>e_machine of an ELF file (little-endian, offset 18).</summary>
    private static int ElfMachine(string path)
    {
        byte[] header = new byte[20];
        using (FileStream file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        Assert.True(header.AsSpan(0, 4).SequenceEqual("\u007fELF"u8), $"{path} is not an ELF file");
        return header[18] | (header[19] << 8);
    }

    [Fact]
    public void TheTestKitDependsOnExactlyItsOwnRuntime()
    {
        using ZipArchive package = ZipFile.OpenRead(_plugin.Package("FluentBit.Plugins.TestKit"));
        Assert.Contains("lib/net10.0/FluentBit.Plugins.TestKit.dll", package.Entries.Select(e => e.FullName));
        XElement dependency = Nuspec(package).Descendants().Single(e => e.Name.LocalName == "dependency");
        Assert.Equal("FluentBit.Plugins", dependency.Attribute("id")!.Value);
        Assert.Equal($"[{_plugin.Version}]", dependency.Attribute("version")!.Value);
        Assert.True(File.Exists(_plugin.SymbolPackage("FluentBit.Plugins.TestKit")));
    }

    [Fact]
    public void TheTemplatePackageNamesThisVersionOfThePackages()
    {
        using ZipArchive package = ZipFile.OpenRead(_plugin.Package("FluentBit.Plugins.Templates"));
        Assert.Equal("Template", Nuspec(package).Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")!.Value);
        Assert.Contains("content/fluentbit-exporter/.template.config/template.json", package.Entries.Select(e => e.FullName));

        string created = File.ReadAllText(Path.Combine(_plugin.ProjectDirectory, PackagedPlugin.ProjectName, PackagedPlugin.ProjectName + ".csproj"));
        Assert.Contains($"<PackageReference Include=\"FluentBit.Plugins\" Version=\"{_plugin.Version}\" />", created);
        Assert.Contains($"<AssemblyName>{PackagedPlugin.PluginName}</AssemblyName>", created);
        string source = File.ReadAllText(Path.Combine(_plugin.ProjectDirectory, PackagedPlugin.ProjectName, PackagedPlugin.ProjectName + ".cs"));
        Assert.Contains($"[FluentBitPlugin(\"{PackagedPlugin.PluginName}\", \"Exports log records as Prometheus metrics\", DefaultHttpPort = {_plugin.Port})]", source);
        Assert.Contains($"public sealed partial class {PackagedPlugin.ProjectName} : PrometheusExporter<LogRecord>", source);
    }

    [Fact]
    public void TheCreatedTestsPassAgainstThePackagesFromTheFeed()
    {
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0,\s+Passed:\s+2,", _plugin.TestOutput);

        // Restored from this run's feed: the assets name this run's version, nothing from the repository.
        string assets = File.ReadAllText(Path.Combine(_plugin.ProjectDirectory, PackagedPlugin.ProjectName + ".Tests", "obj", "project.assets.json"));
        Assert.Contains($"\"FluentBit.Plugins/{_plugin.Version}\"", assets);
        Assert.Contains($"\"FluentBit.Plugins.TestKit/{_plugin.Version}\"", assets);
        Assert.DoesNotContain(Vectors.RepoRoot().TrimEnd('/'), assets);
    }

    /// <summary>
    /// The template's plugin registers its keys (on by default), so in Fluent Bit 5.1.1 (when one is found) an unknown
    /// key stops the instance before Init; in the host modelling 4.1.1 it writes nothing past the 32-byte definition.
    /// </summary>
    [Fact]
    public void ThePublishedPluginRegistersItsKeysOnlyWhereFluentBitReadsThem()
    {
        if (FluentBitProcess.Binary.Length > 0)
        {
            using FluentBitProcess checkedKeys = FluentBitProcess.Start(
                ["-e", _plugin.Library, "-i", "dummy", "-o", PackagedPlugin.PluginName, "-m", "*", "-p", "http_listen=127.0.0.1", "-p", "http_prot=1"]);
            Assert.NotEqual(0, checkedKeys.WaitForExit());
            Assert.Contains($"[config] {PackagedPlugin.PluginName}: unknown configuration property 'http_prot'", checkedKeys.Log);
        }

        using HostProcess old = HostProcess.Start(
            "-e", _plugin.Library, "-o", PackagedPlugin.PluginName, "-p", "http_listen=127.0.0.1", "-p", "http_prot=1", "--cpu", "--count", "1",
            "--proxy-def-size", "32");
        Assert.Equal(0, old.WaitForExit());
        Assert.Contains("Fluent Bit 4.1.1: no config map registered (Fluent Bit reads one from 5.1.1 on)", old.Stderr);
    }

    /// <summary>
    /// The template's plugin under valgrind in every Fluent Bit of the compatibility tier (<c>FLUENT_BIT_COMPAT</c>, else
    /// <c>FLUENT_BIT</c>): Register, Init, a flush and a scrape with no invalid read or write, exact counts, SIGTERM exits 0.
    /// The .so is loaded from a folder without its <c>.dbg</c> (DWARF 5, which Debian's valgrind cannot read).
    /// </summary>
    [Fact]
    public void ThePublishedPluginIsCleanUnderValgrindInEveryFluentBit()
    {
        string[] binaries = FluentBitProcess.CompatibilityBinaries();
        if (binaries.Length == 0)
        {
            Assert.True(Environment.GetEnvironmentVariable("FLUENT_BIT_REQUIRED") != "1", "FLUENT_BIT_REQUIRED=1 but no Fluent Bit to run the template's plugin in");
            return; // test.sh says loudly that the real-Fluent-Bit tiers did not run
        }

        string directory = FluentBitProcess.TempDirectory();
        string library = Path.Combine(directory, Path.GetFileName(_plugin.Library));
        File.Copy(_plugin.Library, library);
        foreach (string binary in binaries)
        {
            int port = Scrape.FreePort();
            using FluentBitProcess process = FluentBitProcess.Start(
                ["-f", "1", "-e", library, "-i", "dummy", "-p", """dummy={"level":"info","service":"checkout","duration":0.5}""", "-p", "samples=3", "-p", "rate=10",
                 "-o", PackagedPlugin.PluginName, "-m", "*", "-p", "http_listen=127.0.0.1", "-p", $"http_port={port}"],
                under: ["valgrind", "--error-limit=no"], binary: binary);
            string version = FluentBitProcess.VersionOf(binary).ToString();
            process.WaitForLog($@"\[{PackagedPlugin.PluginName}\.0\] serving metrics at", TimeSpan.FromSeconds(300));
            Assert.True(System.Threading.SpinWait.SpinUntil(() => Records(port) == 3 || process.HasExited, TimeSpan.FromSeconds(120)), $"{version}: {process.Log}");
            Assert.Equal(1.5, Scrape.Metrics(port)[PrometheusText.Key("acme_logs_duration_seconds_sum", ("service", "checkout"))]);
            Assert.True(process.Terminate() == 0, $"{version}: {process.Log}");
            Assert.Contains("ERROR SUMMARY:", process.Log);
            Assert.DoesNotMatch(@"==\d+== Invalid (read|write|free)", process.Log);
            Assert.Contains($"Fluent Bit {version}: ", process.Log);
        }
    }

    private static double Records(int port)
    {
        try
        {
            return Scrape.Metrics(port).GetValueOrDefault(PrometheusText.Key("acme_logs_records_total", ("level", "info")));
        }
        catch (System.Net.Http.HttpRequestException)
        {
            return 0;
        }
    }

    [Fact]
    public void ThePublishedPluginServesItsSeriesInTheHost()
    {
        Assert.Contains($"Fluent Bit plugin: {_plugin.Library}", _plugin.PublishOutput);
        using var chunks = new ChunkFiles(
        [
            """{"level":"info","service":"checkout","duration":0.042}""",
            """{"level":"info","service":"checkout","duration":"0.5"}""",
            """{"level":"error","service":"search","duration":2.5}""",
            """{"service":"search","duration":12}""",
        ], batch: 2);

        // No http_port: the instance serves on the plugin's default, the template's --port.
        using HostProcess host = HostProcess.Start(
            "-e", _plugin.Library, "-o", PackagedPlugin.PluginName, "-p", "http_listen=127.0.0.1", "--chunks", chunks.Path, "--tag", "app", "--wait",
            // A packaged plugin registers its config map where Fluent Bit reads one (5.1.1 and later) and must never touch
            // what an older Fluent Bit's definition lacks: here the 32 bytes of 4.1 before a guard page.
            "--proxy-def-size", "32");
        host.WaitFor("flb-host: ready");
        Dictionary<string, double> metrics = Scrape.Metrics(_plugin.Port);

        Assert.Equal(2, metrics[PrometheusText.Key("acme_logs_records_total", ("level", "info"))]);
        Assert.Equal(1, metrics[PrometheusText.Key("acme_logs_records_total", ("level", "error"))]);
        Assert.Equal(2, metrics[PrometheusText.Key("acme_logs_duration_seconds_count", ("service", "checkout"))]);
        Assert.Equal(0.542, metrics[PrometheusText.Key("acme_logs_duration_seconds_sum", ("service", "checkout"))], 9);
        Assert.Equal(1, metrics[PrometheusText.Key("acme_logs_duration_seconds_bucket", ("le", "10"), ("service", "search"))]);
        Assert.Equal(2, metrics[PrometheusText.Key("acme_logs_duration_seconds_bucket", ("le", "+Inf"), ("service", "search"))]);
        Assert.Equal(2, metrics.Keys.Count(k => k.StartsWith("acme_logs_records_total", StringComparison.Ordinal)));
        Assert.Equal(0, host.Stop());
        Assert.Contains($"flb-host: output {PackagedPlugin.PluginName}.0: flushes=2 ok=2 error=0 retry=0 records=4", host.Stderr);
    }

    private static XElement Nuspec(ZipArchive package)
    {
        ZipArchiveEntry entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static XElement Element(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

    private static string Value(XElement metadata, string name) => Element(metadata, name).Value;
}
