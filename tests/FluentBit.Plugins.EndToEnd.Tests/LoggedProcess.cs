using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// A child process whose stdout and stderr lines are collected as they come, and that tests signal, wait for and
/// stop: what tools/flb-host (<see cref="HostProcess"/>) and real Fluent Bit
/// (<see cref="RealFluentBit.FluentBitProcess"/>) have in common.
/// </summary>
public abstract class LoggedProcess : IDisposable
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigTerm = 15;

    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<string> _all = new();

    protected LoggedProcess(string program, IEnumerable<string> arguments, string workingDirectory, IEnumerable<KeyValuePair<string, string>> environment)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Add(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Add(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The process id (for <c>/proc/PID</c>).</summary>
    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line so far, stdout and stderr, in arrival order.</summary>
    public IReadOnlyList<string> Lines => _all.ToArray();

    protected IReadOnlyCollection<string> StdoutLines => _stdout;

    protected IReadOnlyCollection<string> StderrLines => _stderr;

    /// <summary>What the process is called in failure messages.</summary>
    protected abstract string Name { get; }

    /// <summary>What a failure message shows of the output.</summary>
    protected abstract string Report { get; }

    /// <summary>Waits until a line (stdout or stderr) matches (regex); fails with the output if the process exits first or the timeout (60 s) passes.</summary>
    public Match WaitForLog(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern);
        return WaitUntil(() => _all.Select(l => regex.Match(l)).FirstOrDefault(m => m.Success), $"logged /{pattern}/", timeout);
    }

    /// <summary>How many lines (stdout or stderr) match (regex).</summary>
    public int Count(string pattern) => _all.Count(l => Regex.IsMatch(l, pattern));

    /// <summary>Sends a signal without waiting.</summary>
    public void Signal(int signal) => Kill(_process.Id, signal);

    /// <summary>Sends SIGTERM (as a service manager stopping Fluent Bit would) or another signal, and returns the exit status.</summary>
    public int Terminate(int signal = SigTerm)
    {
        Signal(signal);
        return WaitForExit();
    }

    public int WaitForExit(TimeSpan? timeout = null)
    {
        if (!_process.WaitForExit(timeout ?? Timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Name} did not exit within {timeout ?? Timeout}; {Report}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes stdin (flb-host's cue to shut down after --wait).</summary>
    protected void CloseStdin() => _process.StandardInput.Close();

    /// <summary>Polls <paramref name="found"/> until it returns something; fails with the output if the process exits first or the timeout passes.</summary>
    protected T WaitUntil<T>(Func<T?> found, string what, TimeSpan? timeout = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (found() is T result)
            {
                return result;
            }

            if (_process.HasExited || clock.Elapsed > (timeout ?? Timeout))
            {
                // The last lines of a process that just exited may still be on their way.
                Thread.Sleep(200);
                return found() ?? throw new InvalidOperationException($"{Name} never {what} (exited: {_process.HasExited}); {Report}");
            }

            Thread.Sleep(10);
        }
    }

    private void Add(ConcurrentQueue<string> stream, string? line)
    {
        if (line is not null)
        {
            stream.Enqueue(line);
            _all.Enqueue(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
