using System;
using FluentBit.Plugins.Native;

namespace FluentBit.Plugins.Hosting;

/// <summary>
/// The Fluent Bit that loaded the plugin, and what its proxy definition holds. Found once per process, at the first
/// FLBPluginRegister, and kept: the .so stays loaded across hot reloads.
/// </summary>
internal sealed record FluentBitRelease(Version? Version, string Source)
{
    /// <summary>The first version whose definition has <c>event_type</c> (40 bytes; 32 before).</summary>
    public static readonly Version EventTypeSince = new(4, 2, 0);

    /// <summary>The first version whose definition has <c>config_map</c> (48 bytes) and that reads it.</summary>
    public static readonly Version ConfigMapSince = new(5, 1, 1);

    /// <summary>The oldest line the compatibility tier runs (2.2.3): anything older gets a warning at Init.</summary>
    public static readonly Version OldestTested = new(2, 2, 0);

    private static readonly object Gate = new();
    private static FluentBitRelease? s_current;

    /// <summary>The running Fluent Bit, asked once (see <see cref="FluentBitExecutable"/>).</summary>
    public static FluentBitRelease Current
    {
        get
        {
            lock (Gate)
            {
                return s_current ??= Detect();
            }
        }
    }

    /// <summary>Whether the definition Fluent Bit allocated has a <c>config_map</c> Fluent Bit reads.</summary>
    public bool ReadsConfigMap => Version is not null && Version >= ConfigMapSince;

    /// <summary>Whether the definition has an <c>event_type</c> field (unknown counts as no: 32 bytes is safe everywhere).</summary>
    public bool HasEventType => Version is not null && Version >= EventTypeSince;

    /// <summary>Whether the version is known and older than any the compatibility tier runs.</summary>
    public bool IsOlderThanTested => Version is not null && Version < OldestTested;

    /// <summary>"Fluent Bit 5.1.1" or "an unknown Fluent Bit", for log lines.</summary>
    public string Name => Version is null ? "an unknown Fluent Bit" : $"Fluent Bit {Version}";

    /// <summary>Parses what <c>fluent-bit --version</c> prints first (<c>Fluent Bit v5.1.1</c>, maybe followed by a build note).</summary>
    public static FluentBitRelease Parse(string? versionLine, string whyUnknown)
    {
        const string Prefix = "Fluent Bit v";
        if (versionLine is null)
        {
            return new FluentBitRelease(null, whyUnknown);
        }

        // By hand, not with Regex: the engine would add hundreds of KB to every plugin for one line.
        ReadOnlySpan<char> rest = versionLine.AsSpan();
        int[] parts = new int[3];
        bool ok = rest.StartsWith(Prefix, StringComparison.Ordinal);
        rest = ok ? rest[Prefix.Length..] : rest;
        for (int i = 0; ok && i < parts.Length; i++)
        {
            int digits = 0;
            while (digits < rest.Length && digits < 5 && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            ok = digits is > 0 and < 5 && int.TryParse(rest[..digits], out parts[i]);
            rest = rest[digits..];
            if (ok && i < parts.Length - 1)
            {
                ok = rest.StartsWith(".", StringComparison.Ordinal);
                rest = ok ? rest[1..] : rest;
            }
        }

        ok = ok && (rest.IsEmpty || !char.IsAsciiLetterOrDigit(rest[0]) && rest[0] != '.');
        return ok
            ? new FluentBitRelease(new Version(parts[0], parts[1], parts[2]), "--version")
            : new FluentBitRelease(null, $"unrecognised --version answer '{versionLine}'");
    }

    private static FluentBitRelease Detect()
    {
        try
        {
            string? line = FluentBitExecutable.ReadVersionLine(out string why);
            return Parse(line, why);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // A C library without one of the calls (dlsym lives in libdl before glibc 2.34): unknown, hence safe.
            return new FluentBitRelease(null, e.Message);
        }
    }
}
