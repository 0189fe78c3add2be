using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// tools/flb-host running plugins in a child process: the same dlopen/dlsym sequence, coroutine
/// stacks and worker threads as Fluent Bit. Lines it prints are collected as they come.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly StringBuilder _stderr = new();

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static HostProcess Start(params string[] arguments) => StartIn(null, [], arguments);

    /// <summary>Starts the host under <c>ulimit -v</c> (KiB of address space), with extra environment variables.</summary>
    public static HostProcess StartLimited(long virtualKiB, (string Name, string Value)[] environment, params string[] arguments) =>
        StartProgram("/bin/sh", null, environment, ["-c", $"ulimit -v {virtualKiB} && exec \"$0\" \"$@\"", Artifacts.Host, .. arguments]);

    /// <summary>Starts the host in <paramref name="workingDirectory"/> (null: this process's) with extra environment variables.</summary>
    public static HostProcess StartIn(string? workingDirectory, (string Name, string Value)[] environment, params string[] arguments) =>
        StartProgram(Artifacts.Host, workingDirectory, environment, arguments);

    private static HostProcess StartProgram(string program, string? workingDirectory, (string Name, string Value)[] environment, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        return new HostProcess(Process.Start(start)!);
    }

    /// <summary>Waits for a line the host prints on stdout (e.g. "flb-host: ready"); fails with the host's stderr if it exits first.</summary>
    public void WaitFor(string line)
    {
        var clock = Stopwatch.StartNew();
        while (!_stdout.Contains(line))
        {
            if (_process.HasExited || clock.Elapsed > Timeout)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"flb-host never printed '{line}' (exited: {_process.HasExited}); stderr:\n{Stderr}");
            }

            Thread.Sleep(10);
        }
    }

    public bool HasPrinted(string line) => _stdout.Contains(line);

    /// <summary>The records a --chunks replay dispatched before SIGUSR1 ended it (its "input ended records=N" line).</summary>
    public long RecordsSent()
    {
        const string Prefix = "flb-host: input ended records=";
        return long.Parse(_stdout.First(l => l.StartsWith(Prefix, StringComparison.Ordinal))[Prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sends SIGUSR1: a --chunks replay ends between two chunks, as if its last chunk had been sent.</summary>
    public void EndInput() => Signal(SigUsr1);

    private const int SigUsr1 = 10;

    /// <summary>How many times the host printed <paramref name="line"/> on stdout.</summary>
    public int Printed(string line) => _stdout.Count(l => l == line);

    /// <summary>The host's process id, for /proc.</summary>
    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Sends a signal without waiting (SIGHUP: reload, with -Y).</summary>
    public void Signal(int signal) => Kill(_process.Id, signal);

    public const int SigHup = 1;

    /// <summary>Closes stdin (the host's cue to shut down after --wait) and returns the exit status.</summary>
    public int Stop()
    {
        _process.StandardInput.Close();
        return WaitForExit();
    }

    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>Sends SIGTERM (as a service manager stopping Fluent Bit would) or another signal, and returns the exit status.</summary>
    public int Terminate(int signal = SigTerm)
    {
        Kill(_process.Id, signal);
        return WaitForExit();
    }

    public int WaitForExit()
    {
        if (!_process.WaitForExit(Timeout))
        {
            _process.Kill();
            throw new TimeoutException($"flb-host did not exit within {Timeout}; stderr:\n{Stderr}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
