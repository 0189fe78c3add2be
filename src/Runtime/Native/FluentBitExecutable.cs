using System;
using System.Runtime.InteropServices;
using System.Text;

namespace FluentBit.Plugins.Native;

/// <summary>
/// Asks the Fluent Bit that loaded the plugin which version it is, by running its own executable with
/// <c>--version</c>. FLBPluginRegister needs the answer before it fills the definition, whose size depends on the
/// version (32 bytes up to 4.1, 40 in 4.2 to 5.1.0, 48 from 5.1.1), and Fluent Bit passes no version and exports
/// none: no function or variable of the binary holds it, and no exported symbol tells 5.1.1 from 5.1.0 (the two
/// tags differ in no exported symbol of the core or its libraries; only the version string and the definition
/// changed). Guessing from the allocation's size would read malloc's internals. So the binary tells.
/// </summary>
/// <remarks>
/// Only when Fluent Bit's proxy loader (<c>flb_plugin_proxy_register</c>, exported by every fluent-bit binary) lives
/// in the process's main executable: then that executable is fluent-bit, and <c>fluent-bit --version</c> prints one
/// line and exits before it reads any configuration (checked in 2.2.3 to 5.1.1). A Fluent Bit embedded as a library
/// in another program, or any other host, is never run: the answer is then "unknown", and the caller falls back to
/// what is safe in every version. The child is started with <c>posix_spawn</c> and reaped with <c>waitpid</c>, not
/// with <see cref="System.Diagnostics.Process"/>, which would install the runtime's SIGCHLD and terminal handling in
/// Fluent Bit's process.
/// </remarks>
internal static unsafe partial class FluentBitExecutable
{
    /// <summary>The proxy loader's registration function: the one symbol every fluent-bit binary exports that calls us.</summary>
    public const string ProxyLoaderSymbol = "flb_plugin_proxy_register";

    // Bounds only a hang: fluent-bit --version answers in about 10 ms.
    private const int AnswerTimeoutMilliseconds = 10_000;
    private const int MaxAnswerBytes = 4096;

    private const int AtPhdr = 3;
    private const int PollIn = 0x001;
    private const int SigKill = 9;
    private const int ORdOnly = 0;
    private const int OWrOnly = 1;
    private const int OCloExec = 0x80000;

    // posix_spawn_file_actions_t is 80 bytes in glibc on x86-64 and arm64; room to spare for other C libraries.
    private const int FileActionsBytes = 256;

    /// <summary>
    /// The first line <c>fluent-bit --version</c> printed (<c>Fluent Bit v5.1.1</c>), or null with why it was not
    /// asked or did not answer.
    /// </summary>
    public static string? ReadVersionLine(out string why)
    {
        nint loader = Dlsym(0, ProxyLoaderSymbol);
        if (loader == 0)
        {
            why = $"the process does not export {ProxyLoaderSymbol}: not a fluent-bit executable";
            return null;
        }

        DlInfo inLoader, inMain;
        nint mainHeaders = (nint)GetAuxVal(AtPhdr);
        if (Dladdr(loader, &inLoader) == 0 || mainHeaders == 0 || Dladdr(mainHeaders, &inMain) == 0 || inLoader.BaseAddress != inMain.BaseAddress)
        {
            why = "Fluent Bit is a library in another program, whose executable is not asked";
            return null;
        }

        string? executable = Environment.ProcessPath;
        if (string.IsNullOrEmpty(executable))
        {
            why = "the process's executable has no path";
            return null;
        }

        return Run(executable, out why);
    }

    private static string? Run(string executable, out string why)
    {
        int* pipe = stackalloc int[2];
        if (Pipe2(pipe, OCloExec) != 0)
        {
            why = $"pipe2 failed (errno {Marshal.GetLastPInvokeError()})";
            return null;
        }

        byte* actions = stackalloc byte[FileActionsBytes];
        new Span<byte>(actions, FileActionsBytes).Clear();
        nint path = Marshal.StringToCoTaskMemUTF8(executable);
        nint flag = Marshal.StringToCoTaskMemUTF8("--version");
        nint devNull = Marshal.StringToCoTaskMemUTF8("/dev/null");
        int pid = 0;
        try
        {
            if (PosixSpawnFileActionsInit(actions) != 0)
            {
                why = "posix_spawn_file_actions_init failed";
                return null;
            }

            try
            {
                // The child's stdin and stderr are /dev/null, its stdout the pipe (dup2 clears close-on-exec).
                if (PosixSpawnFileActionsAddOpen(actions, 0, (byte*)devNull, ORdOnly, 0) != 0
                    || PosixSpawnFileActionsAddOpen(actions, 2, (byte*)devNull, OWrOnly, 0) != 0
                    || PosixSpawnFileActionsAddDup2(actions, pipe[1], 1) != 0)
                {
                    why = "posix_spawn_file_actions failed";
                    return null;
                }

                nint* argv = stackalloc nint[3] { path, flag, 0 };
                nint environment = Dlsym(0, "environ");
                nint* envp = environment == 0 ? null : *(nint**)environment;
                int error = PosixSpawn(&pid, (byte*)path, actions, null, argv, envp);
                if (error != 0)
                {
                    pid = 0;
                    why = $"{executable} --version could not be started (errno {error})";
                    return null;
                }
            }
            finally
            {
                PosixSpawnFileActionsDestroy(actions);
            }

            Close(pipe[1]);
            pipe[1] = -1;
            string answer = ReadAnswer(pipe[0], out bool timedOut);
            if (timedOut)
            {
                Kill(pid, SigKill);
                why = $"{executable} --version did not answer within {AnswerTimeoutMilliseconds / 1000} s";
                return null;
            }

            string line = answer.Split('\n')[0].Trim();
            why = line.Length == 0 ? $"{executable} --version printed nothing" : "";
            return line.Length == 0 ? null : line;
        }
        finally
        {
            if (pipe[1] >= 0)
            {
                Close(pipe[1]);
            }

            Close(pipe[0]);
            if (pid > 0)
            {
                // Reaps the child. If Fluent Bit ignores SIGCHLD the kernel reaped it already and this returns ECHILD.
                int status;
                Waitpid(pid, &status, 0);
            }

            Marshal.FreeCoTaskMem(path);
            Marshal.FreeCoTaskMem(flag);
            Marshal.FreeCoTaskMem(devNull);
        }
    }

    private static string ReadAnswer(int fd, out bool timedOut)
    {
        byte* buffer = stackalloc byte[MaxAnswerBytes];
        int length = 0;
        long deadline = Environment.TickCount64 + AnswerTimeoutMilliseconds;
        timedOut = false;
        while (length < MaxAnswerBytes)
        {
            int remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
            PollFd poll = new() { Fd = fd, Events = PollIn };
            int ready = Poll(&poll, 1, remaining);
            if (ready == 0)
            {
                timedOut = true;
                break;
            }

            if (ready < 0)
            {
                if (Marshal.GetLastPInvokeError() == 4 /* EINTR */)
                {
                    continue;
                }

                break;
            }

            nint read = Read(fd, buffer + length, (nuint)(MaxAnswerBytes - length));
            if (read < 0 && Marshal.GetLastPInvokeError() == 4)
            {
                continue;
            }

            if (read <= 0)
            {
                break;
            }

            length += (int)read;
        }

        return Encoding.UTF8.GetString(buffer, length);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public nint FileName;
        public nint BaseAddress;
        public nint SymbolName;
        public nint SymbolAddress;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "dlsym", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Dlsym(nint handle, string symbol);

    [LibraryImport("libc", EntryPoint = "dladdr")]
    private static partial int Dladdr(nint address, DlInfo* info);

    [LibraryImport("libc", EntryPoint = "getauxval")]
    private static partial nuint GetAuxVal(nuint type);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "waitpid")]
    private static partial int Waitpid(int pid, int* status, int options);

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    private static partial int PosixSpawn(int* pid, byte* path, byte* fileActions, void* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int PosixSpawnFileActionsInit(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int PosixSpawnFileActionsDestroy(byte* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    private static partial int PosixSpawnFileActionsAddOpen(byte* actions, int fd, byte* path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int PosixSpawnFileActionsAddDup2(byte* actions, int fd, int newFd);
}
