using System;
using System.Collections.Concurrent;
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

    public static HostProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Artifacts.Host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
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

    /// <summary>Closes stdin (the host's cue to shut down after --wait) and returns the exit status.</summary>
    public int Stop()
    {
        _process.StandardInput.Close();
        return WaitForExit();
    }

    /// <summary>Sends SIGTERM, as a service manager stopping Fluent Bit would, and returns the exit status.</summary>
    public int Terminate()
    {
        Kill(_process.Id, 15);
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
