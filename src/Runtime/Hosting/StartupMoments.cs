using System;
using System.Runtime.CompilerServices;
using System.Threading;
using FluentBit.Plugins.Logging;
using FluentBit.Plugins.Native;

namespace FluentBit.Plugins.Hosting;

/// <summary>
/// The moments after which code that ran once is done with (<see cref="StartupPages"/>): every Init, the first
/// flush of the image, and each endpoint's first answered request (Kestrel's start). Each gives the image's
/// start-up pages back and says how many at debug level, so the release can be seen and measured from outside.
/// </summary>
/// <remarks>
/// <c>FLUENTBIT_PLUGINS_STARTUP_PAGES=keep</c> in Fluent Bit's environment turns the release off: an operator
/// comparing memory, or running a tool that patches code in place, can keep every page resident (docs/troubleshooting.md).
/// </remarks>
internal static class StartupMoments
{
    /// <summary>The environment variable that keeps the start-up pages resident when set to <c>keep</c>.</summary>
    public const string Switch = "FLUENTBIT_PLUGINS_STARTUP_PAGES";

    // A flush may run on a Fluent Bit coroutine's stack, which can be as small as 24 KiB: the first flush's
    // release (which reads smaps into a 4 KiB stack buffer) runs on a thread of its own.
    private const int ReleaseThreadStack = 256 * 1024;

    private static readonly bool s_keep = string.Equals(Environment.GetEnvironmentVariable(Switch), "keep", StringComparison.Ordinal);

    // Under the JIT (in-process tests) the code is not mapped from a file: there is nothing to give back, and the
    // moments cost nothing, not even the first flush's thread.
    private static readonly bool s_fromImage = !RuntimeFeature.IsDynamicCodeCompiled;

    private static int s_firstFlushSeen;

    /// <summary>Init has succeeded.</summary>
    public static void AfterInit(PluginLog log) => Release(log, "init");

    /// <summary>A flush has returned; only the image's first one releases.</summary>
    public static void AfterFlush(PluginLog log)
    {
        if (s_fromImage && Volatile.Read(ref s_firstFlushSeen) == 0 && Interlocked.Exchange(ref s_firstFlushSeen, 1) == 0)
        {
            new Thread(() => Release(log, "the first flush"), ReleaseThreadStack) { IsBackground = true, Name = "start-up pages" }.Start();
        }
    }

    /// <summary>An endpoint has answered its first request.</summary>
    public static void AfterFirstScrape(PluginLog log) => Release(log, "the first scrape");

    private static void Release(PluginLog log, string moment)
    {
        if (!s_fromImage)
        {
            return;
        }

        if (s_keep)
        {
            log.Debug($"start-up pages kept after {moment} ({Switch}=keep)");
            return;
        }

        long kib = StartupPages.Release();
        log.Debug($"start-up pages: {kib} KiB given back after {moment}");
    }
}
