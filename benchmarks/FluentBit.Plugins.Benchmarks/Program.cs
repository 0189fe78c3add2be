using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Reports;
using FluentBit.Plugins.Testing;

namespace FluentBit.Plugins.Benchmarks;

/// <summary>
/// Runs the BenchmarkDotNet suites (arguments as BenchmarkDotNet takes them: <c>--filter '*' --job short</c>), then
/// prints the per-record, scrape and flush-under-scrape tables with their ratios, and writes them as Markdown into
/// <c>--out DIR</c> (default artifacts/bench).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        string output = Path.Combine(Vectors.RepoRoot(), "artifacts", "bench");
        int at = Array.IndexOf(args, "--out");
        if (at >= 0 && at + 1 < args.Length)
        {
            output = Path.GetFullPath(args[at + 1]);
            args = args.Where((_, i) => i != at && i != at + 1).ToArray();
        }

        Directory.CreateDirectory(output);
        int interleaved = Array.IndexOf(args, "--interleaved");
        if (interleaved >= 0)
        {
            int rounds = interleaved + 1 < args.Length && int.TryParse(args[interleaved + 1], out int r) ? r : 20;
            string filter = Array.IndexOf(args, "--suite") is int s and >= 0 && s + 1 < args.Length ? args[s + 1] : "";
            string table = Interleaved.Run(rounds, filter);
            if (filter.Length == 0 || "FlushUnderScrape".Contains(filter, StringComparison.OrdinalIgnoreCase))
            {
                table += Environment.NewLine + Interleaved.FlushUnderScrape(rounds);
            }

            File.WriteAllText(Path.Combine(output, "interleaved.md"), table);
            Console.WriteLine(table);
            return 0;
        }

        File.Delete(Path.Combine(output, "scrapes.tsv"));

        // The scrape thread of FlushUnderScrape writes what it did here, from the benchmark's own process.
        Environment.SetEnvironmentVariable(ResultsTable.OutputVariable, output);
        IConfig config = DefaultConfig.Instance
            .WithArtifactsPath(Path.Combine(output, "BenchmarkDotNet.Artifacts"))
            // BenchmarkDotNet builds a project of its own referencing this one; on a busy 2-core machine that takes
            // longer than its default limit of 2 minutes.
            .WithBuildTimeout(TimeSpan.FromMinutes(20))
            .AddDiagnoser(MemoryDiagnoser.Default);
        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();
        if (summaries.Length == 0 || summaries.Any(s => s.HasCriticalValidationErrors))
        {
            return 1;
        }

        string tables = ResultsTable.Write(summaries, output);
        Console.WriteLine();
        Console.WriteLine(tables);
        return summaries.SelectMany(s => s.Reports).All(r => r.Success) ? 0 : 1;
    }
}
