using System;
using System.Collections.Generic;
using System.Linq;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// tools/flb-host running plugins in a child process: the same dlopen/dlsym sequence, coroutine
/// stacks and worker threads as Fluent Bit. Lines it prints are collected as they come.
/// </summary>
public sealed class HostProcess : LoggedProcess
{
    private const int SigUsr1 = 10;

    private HostProcess(string program, string? workingDirectory, (string Name, string Value)[] environment, string[] arguments)
        : base(program, arguments, workingDirectory ?? "", environment.Select(e => KeyValuePair.Create(e.Name, e.Value)))
    {
    }

    /// <summary>What the host printed on stderr, one line after another.</summary>
    public string Stderr => string.Concat(StderrLines.Select(l => l + "\n"));

    protected override string Name => "flb-host";

    protected override string Report => $"stderr:\n{Stderr}";

    public static HostProcess Start(params string[] arguments) => StartIn(null, [], arguments);

    /// <summary>Starts the host under <c>ulimit -v</c> (KiB of address space), with extra environment variables.</summary>
    public static HostProcess StartLimited(long virtualKiB, (string Name, string Value)[] environment, params string[] arguments) =>
        new("/bin/sh", null, environment, ["-c", $"ulimit -v {virtualKiB} && exec \"$0\" \"$@\"", Artifacts.Host, .. arguments]);

    /// <summary>Starts the host in <paramref name="workingDirectory"/> (null: this process's) with extra environment variables.</summary>
    public static HostProcess StartIn(string? workingDirectory, (string Name, string Value)[] environment, params string[] arguments) =>
        new(Artifacts.Host, workingDirectory, environment, arguments);

    /// <summary>Waits for a line the host prints on stdout (e.g. "flb-host: ready"); fails with the host's stderr if it exits first.</summary>
    public void WaitFor(string line) => WaitUntil(() => StdoutLines.Contains(line) ? line : null, $"printed '{line}'");

    public bool HasPrinted(string line) => StdoutLines.Contains(line);

    /// <summary>How many times the host printed <paramref name="line"/> on stdout.</summary>
    public int Printed(string line) => StdoutLines.Count(l => l == line);

    /// <summary>The records a --chunks replay dispatched before SIGUSR1 ended it (its "input ended records=N" line).</summary>
    public long RecordsSent()
    {
        const string Prefix = "flb-host: input ended records=";
        return long.Parse(StdoutLines.First(l => l.StartsWith(Prefix, StringComparison.Ordinal))[Prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sends SIGUSR1: a --chunks replay ends between two chunks, as if its last chunk had been sent.</summary>
    public void EndInput() => Signal(SigUsr1);

    /// <summary>Closes stdin (the host's cue to shut down after --wait) and returns the exit status.</summary>
    public int Stop()
    {
        CloseStdin();
        return WaitForExit();
    }
}
