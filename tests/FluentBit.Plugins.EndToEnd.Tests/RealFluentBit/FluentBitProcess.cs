using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// Real Fluent Bit, found as a user has it: <c>FLUENT_BIT</c> names the binary, else <c>fluent-bit</c> on PATH.
/// ./test.sh runs the tests of this folder (trait Category=RealFluentBit) only where one is found, and says loudly
/// when none is; .ci/run builds Fluent Bit 5.1.1 from ../shared/fluent-bit and requires the tier to run.
/// </summary>
public sealed class FluentBitProcess : LoggedProcess
{
    public const string Category = "RealFluentBit";

    private FluentBitProcess(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
        : base(program, arguments, workingDirectory, environment ?? new Dictionary<string, string>())
    {
    }

    /// <summary>The Fluent Bit binary, or a failure that says how to provide one.</summary>
    public static string Binary { get; } = Find() ?? "";

    /// <summary>The version the binary prints (<c>fluent-bit --version</c>: <c>Fluent Bit v5.1.1</c>).</summary>
    public static Version Version => s_version.Value;

    private static readonly Lazy<Version> s_version = new(() => VersionOf(Binary));

    /// <summary>What <c>binary --version</c> prints first, as a version.</summary>
    public static Version VersionOf(string binary)
    {
        var start = new ProcessStartInfo(binary, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using Process process = Process.Start(start)!;
        string first = process.StandardOutput.ReadLine() ?? "";
        process.WaitForExit();
        Match match = Regex.Match(first, @"^Fluent Bit v(\d+\.\d+\.\d+)");
        return match.Success ? Version.Parse(match.Groups[1].Value) : throw new InvalidOperationException($"{binary} --version printed '{first}'");
    }

    /// <summary>
    /// The Fluent Bit binaries of the compatibility tier: <c>FLUENT_BIT_COMPAT</c> (space-separated paths), else the one
    /// <see cref="Binary"/>; empty when there is none.
    /// </summary>
    public static string[] CompatibilityBinaries()
    {
        string[] listed = (Environment.GetEnvironmentVariable("FLUENT_BIT_COMPAT") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return listed.Length > 0 ? listed : Binary.Length > 0 ? [Binary] : [];
    }

    /// <summary>Where FLUENT_BIT points, else fluent-bit on PATH; null when neither exists.</summary>
    public static string? Find()
    {
        string? named = Environment.GetEnvironmentVariable("FLUENT_BIT");
        if (!string.IsNullOrEmpty(named))
        {
            return File.Exists(named) ? Path.GetFullPath(named) : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "fluent-bit")).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Starts Fluent Bit with these arguments (in a fresh working directory), optionally under ulimit -v (KiB) or
    /// under a tool (<paramref name="under"/>: valgrind and its options).
    /// </summary>
    public static FluentBitProcess Start(
        string[] arguments, long virtualKiB = 0, string? workingDirectory = null, string[]? under = null, string? binary = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        binary ??= Binary;
        if (binary.Length == 0)
        {
            throw new InvalidOperationException("No Fluent Bit: set FLUENT_BIT to its binary or put fluent-bit on PATH (../shared/fluent-bit/build.sh builds 5.1.1)");
        }

        if (under is { Length: > 0 })
        {
            arguments = [.. under[1..], binary, .. arguments];
        }

        string program = virtualKiB > 0 ? "/bin/sh" : under is { Length: > 0 } ? under[0] : binary;
        string[] limited = virtualKiB > 0 ? ["-c", $"ulimit -v {virtualKiB} && exec \"$0\" \"$@\"", binary] : [];
        return new FluentBitProcess(program, [.. limited, .. arguments], workingDirectory ?? TempDirectory(), environment);
    }

    /// <summary>A new empty directory under the system's temp folder, for config files and inputs.</summary>
    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "fb-tier-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Everything Fluent Bit printed so far (stdout and stderr, in arrival order).</summary>
    public string Log => string.Join("\n", Lines);

    protected override string Name => "Fluent Bit";

    protected override string Report => $"log:\n{Log}";
}
