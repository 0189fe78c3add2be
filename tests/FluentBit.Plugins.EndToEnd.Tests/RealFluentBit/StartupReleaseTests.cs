using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using FluentBit.Plugins.Testing;
using Xunit;
using Xunit.Abstractions;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// The start-up pages given back (StartupPages, StartupMoments), measured from outside in real Fluent Bit: the resident
/// size of the plugin image's clean read-only mappings, read from <c>/proc/PID/smaps</c>, after each moment (Init, the
/// first flush, the first scrape), beside a control run with <c>FLUENTBIT_PLUGINS_STARTUP_PAGES=keep</c>.
/// </summary>
[Trait("Category", FluentBitProcess.Category)]
public class StartupReleaseTests(ITestOutputHelper output)
{
    private const int Records = 20;

    private static readonly string[] Moments = ["init", "the first flush", "the first scrape"];

    /// <summary>
    /// At each moment the plugin says at debug level how many KiB of its image were resident when it gave them back;
    /// measured afterwards, the image holds less than that: only what ran since came back (a release that did not
    /// happen leaves at least as much, since pages only come back). The control run keeps its pages, and holds more
    /// than the released run at every moment.
    /// </summary>
    [Fact]
    public void TheImagesStartUpPagesAreGivenBackAfterInitTheFirstFlushAndTheFirstScrape()
    {
        (long Said, long After, long VmRss)[] released = Run(keep: false);
        (long Said, long After, long VmRss)[] kept = Run(keep: true);
        for (int i = 0; i < Moments.Length; i++)
        {
            output.WriteLine(
                $"after {Moments[i]}: image {released[i].After} KiB resident after giving back {released[i].Said} KiB (VmRSS {released[i].VmRss} KiB); " +
                $"kept: image {kept[i].After} KiB (VmRSS {kept[i].VmRss} KiB)");
            Assert.True(released[i].Said > 0, $"after {Moments[i]}: nothing was resident to give back");
            Assert.True(released[i].After < released[i].Said, $"after {Moments[i]}: {released[i].After} KiB resident after giving back {released[i].Said} KiB");
            Assert.True(kept[i].After > released[i].After, $"after {Moments[i]}: kept {kept[i].After} KiB, released {released[i].After} KiB");
        }
    }

    private (long Said, long After, long VmRss)[] Run(bool keep)
    {
        string directory = FluentBitProcess.TempDirectory();
        string input = Path.Combine(directory, "in.log");
        File.WriteAllText(input, "");
        File.WriteAllText(Path.Combine(directory, "parsers.conf"), "[PARSER]\n    Name   json\n    Format json\n");
        int port = Scrape.FreePort();
        var environment = new Dictionary<string, string> { [Hosting.StartupMoments.Switch] = keep ? "keep" : "" };
        using FluentBitRun run = FluentBitRun.Start(
            ["-R", Path.Combine(directory, "parsers.conf"), "-e", Artifacts.TestExporter,
             "-i", "tail", "-p", $"path={input}", "-p", "parser=json", "-p", "refresh_interval=1",
             .. FluentBitRun.OutputArguments("test_exporter", port, "log_level=debug")],
            ["test_exporter.0"], workingDirectory: directory, environment: environment);

        var measured = new (long, long, long)[Moments.Length];
        for (int i = 0; i < Moments.Length; i++)
        {
            if (i == 1)
            {
                File.AppendAllLines(input, Enumerable.Repeat("""{"status":200}""", Records));
                run.WaitForProcessed("test_exporter.0", Records);
            }
            else if (i == 2)
            {
                Assert.Contains("# TYPE", Scrape.Get(port, "metrics"));
            }

            string moment = Regex.Escape(Moments[i]);
            Match said = run.Process.WaitForLog(keep
                ? $@"\[debug\] \[test_exporter\.0\] start-up pages kept after {moment} \(FLUENTBIT_PLUGINS_STARTUP_PAGES=keep\)$"
                : $@"\[debug\] \[test_exporter\.0\] start-up pages: ([0-9]+) KiB given back after {moment}$");
            measured[i] = (keep ? 0 : long.Parse(said.Groups[1].Value, CultureInfo.InvariantCulture), ImageKiB(run.Process.Id), VmRss(run.Process.Id));
        }

        run.StopCleanly();
        return measured;
    }

    /// <summary>Rss of the test exporter's read-only mappings that hold no private page, as StartupPages chooses them.</summary>
    private static long ImageKiB(int pid)
    {
        string image = "/" + Path.GetFileName(Artifacts.TestExporter);
        long total = 0, rss = 0;
        bool ours = false;
        foreach (string line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-') && !fields[0].EndsWith(':'))
            {
                ours = fields.Length == 6 && fields[5].EndsWith(image, StringComparison.Ordinal) && fields[1] is "r-xp" or "r--p";
            }
            else if (ours && fields[0] == "Rss:")
            {
                rss = long.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            else if (ours && fields[0] == "Anonymous:" && fields[1] == "0")
            {
                total += rss;
            }
        }

        return total;
    }

    private static long VmRss(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
