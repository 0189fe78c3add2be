using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;

namespace FluentBit.Plugins.Package.Tests;

/// <summary>Runs the dotnet CLI (or another tool) as a user would, in a clean environment, and fails with its output when it fails.</summary>
internal static class DotnetCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    /// <returns>Everything the command printed.</returns>
    public static string Run(string workingDirectory, params string[] arguments) => RunProgram("dotnet", workingDirectory, arguments);

    /// <returns>Everything <paramref name="program"/> printed.</returns>
    public static string RunProgram(string program, string workingDirectory, params string[] arguments) =>
        RunProgram(program, workingDirectory, new Dictionary<string, string>(), arguments);

    /// <returns>Everything <paramref name="program"/> printed, run with these variables set on top of the clean environment.</returns>
    public static string RunProgram(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // What `dotnet test` set for this process's own build and test host is not a user's environment.
        foreach (string key in start.Environment.Keys.Where(IsInherited).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {Timeout}:\n{Text(output)}");
        }

        process.WaitForExit();
        string text = Text(output);
        return process.ExitCode == 0
            ? text
            : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} (in {workingDirectory}) exited with {process.ExitCode}:\n{text}");
    }

    private static bool IsInherited(string key) =>
        key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
        || key.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>The enabled package sources this machine's NuGet uses (URLs or folders), for a nuget.config that lists them again.</summary>
    public static IReadOnlyList<string> EnabledSources(string workingDirectory) =>
        Run(workingDirectory, "nuget", "list", "source", "--format", "short")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("E ", StringComparison.Ordinal))
            .Select(line => line[2..].Trim())
            .ToList();
}
