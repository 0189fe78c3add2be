using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.Package.Tests;

/// <summary>
/// The README's quickstart, run as it is written there (the blocks after <c>&lt;!-- quickstart:NAME --&gt;</c>, read from
/// README.md): the feed made in the clone, then a plugin created, tested and published from a fresh folder outside the
/// clone and from a folder inside it, run in Fluent Bit and scraped. A user's own home (template hive, NuGet
/// configuration) and package cache are stood in for by empty folders of this test.
/// </summary>
[Trait("Category", "Package")]
public sealed partial class QuickstartTests : IClassFixture<QuickstartTests.Feed>
{
    private readonly Feed _feed;

    public QuickstartTests(Feed feed) => _feed = feed;

    [Theory]
    [InlineData("outside the clone")]
    [InlineData("inside the clone")]
    public void TheQuickstartRunsAsWritten(string where)
    {
        string folder = where == "inside the clone"
            ? Path.Combine(Vectors.RepoRoot(), "artifacts", "quickstart-" + Guid.NewGuid().ToString("N")[..8])
            : Path.Combine(_feed.Root, "fresh-folder-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            _feed.Bash(folder, Block("create"));
            string plugin = Path.Combine(folder, "MyExporter");
            Assert.True(File.Exists(Path.Combine(plugin, "out", "my_exporter.so")), "the create block published no out/my_exporter.so");

            string fluentBit = FluentBitProcess.Binary;
            if (fluentBit.Length == 0)
            {
                Assert.True(Environment.GetEnvironmentVariable("FLUENT_BIT_REQUIRED") != "1", "FLUENT_BIT_REQUIRED=1 but no Fluent Bit to run the quickstart's plugin in");
                return; // test.sh says loudly that the real-Fluent-Bit tiers did not run
            }

            RunAndScrape(plugin, Path.GetDirectoryName(fluentBit)!);
        }
        finally
        {
            if (where == "inside the clone")
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The run block in the background (fluent-bit found on PATH, as a user has it), the scrape block until it shows a record.</summary>
    private void RunAndScrape(string plugin, string fluentBitFolder)
    {
        var environment = new Dictionary<string, string>(_feed.Environment) { ["PATH"] = fluentBitFolder + ":" + Environment.GetEnvironmentVariable("PATH") };
        var start = new ProcessStartInfo("bash") { WorkingDirectory = plugin, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-c", "exec " + Block("run") })
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using Process fluentBit = Process.Start(start)!;
        fluentBit.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        fluentBit.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        fluentBit.BeginOutputReadLine();
        fluentBit.BeginErrorReadLine();
        try
        {
            string scraped = "";
            bool served = SpinWait.SpinUntil(() =>
            {
                try
                {
                    scraped = DotnetCli.RunProgram("bash", plugin, environment, "-c", Block("scrape"));
                }
                catch (InvalidOperationException)
                {
                    scraped = ""; // not serving yet: curl fails, or grep finds nothing
                }

                return RecordsLine().IsMatch(scraped) || fluentBit.HasExited;
            }, TimeSpan.FromSeconds(120));
            Assert.True(served && !fluentBit.HasExited, $"the scrape block never showed a record; scraped:\n{scraped}\nFluent Bit:\n{string.Join('\n', log)}");
        }
        finally
        {
            if (!fluentBit.HasExited)
            {
                Kill(fluentBit.Id, 15);
                if (!fluentBit.WaitForExit(60_000))
                {
                    fluentBit.Kill(entireProcessTree: true);
                }
            }

            fluentBit.WaitForExit();
        }

        Assert.True(fluentBit.ExitCode == 0, $"Fluent Bit exited {fluentBit.ExitCode} on SIGTERM:\n{string.Join('\n', log)}");
    }

    /// <summary>The code block that follows <c>&lt;!-- quickstart:NAME --&gt;</c> in README.md, as written there.</summary>
    internal static string Block(string name)
    {
        string readme = File.ReadAllText(Path.Combine(Vectors.RepoRoot(), "README.md"));
        Match match = Regex.Match(readme, $@"<!-- quickstart:{name} -->\n```sh\n(.*?)\n```", RegexOptions.Singleline);
        Assert.True(match.Success, $"README.md has no sh block after <!-- quickstart:{name} -->");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"^my_exporter_records_total\{level=""info""\} [1-9]", RegexOptions.Multiline)]
    private static partial Regex RecordsLine();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    /// <summary>
    /// The feed block, run once in the clone with an empty home: packs the packages, installs the template and adds the
    /// source there. Packing restores the repository's own projects from the machine's package cache, so their restore
    /// stays what it was; the plugins then restore into a cache of their own, which holds no earlier FluentBit.Plugins 0.1.0.
    /// </summary>
    public sealed class Feed : IDisposable
    {
        public Feed()
        {
            Root = Path.Combine(Path.GetTempPath(), $"fbp-quickstart-{Guid.NewGuid():N}");
            string home = Path.Combine(Root, "home");
            string pluginPackages = Path.Combine(Root, "packages");
            Directory.CreateDirectory(home);
            Directory.CreateDirectory(pluginPackages);
            string machineCache = DotnetCli.Run(Path.GetTempPath(), "nuget", "locals", "global-packages", "--list").Split(':', 2)[1].Trim();

            DotnetCli.RunProgram("bash", Vectors.RepoRoot(),
                new Dictionary<string, string> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home, ["NUGET_PACKAGES"] = machineCache },
                "-euo", "pipefail", "-c", Block("feed"));

            // Every package the machine has, hard-linked, but this framework's: what a user's cache holds before the feed.
            if (Directory.Exists(machineCache))
            {
                foreach (string package in Directory.GetDirectories(machineCache).Where(d => !Path.GetFileName(d).StartsWith("fluentbit.plugins", StringComparison.Ordinal)))
                {
                    DotnetCli.RunProgram("cp", Root, "-al", package, pluginPackages);
                }
            }

            Environment = new Dictionary<string, string> { ["HOME"] = home, ["DOTNET_CLI_HOME"] = home, ["NUGET_PACKAGES"] = pluginPackages };
        }

        public string Root { get; }

        public IReadOnlyDictionary<string, string> Environment { get; }

        public string Bash(string folder, string script) => DotnetCli.RunProgram("bash", folder, Environment, "-euo", "pipefail", "-c", script);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
