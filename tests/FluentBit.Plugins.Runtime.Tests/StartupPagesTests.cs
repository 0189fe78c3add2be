using System.Collections.Generic;
using System.IO;
using System.Text;
using FluentBit.Plugins.Native;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

/// <summary>
/// Which mappings <see cref="StartupPages"/> gives back: only the plugin image's own read-only mappings that hold no
/// private copy of a page. A wrong choice would unmap relocated data (a crash) or another library's pages.
/// </summary>
public sealed unsafe class StartupPagesTests
{
    // From a real Fluent Bit 5.1.1 with cpu_exporter.so, cut down; RELRO (Anonymous 4 kB), .data (rw-p), the JIT's
    // code (anonymous) and libc must stay.
    private const string Maps =
        "5587d6544000-5587d65a1000 r--p 00000000 fe:00 2000 /usr/bin/fluent-bit\n" +
        "7f0f51e00000-7f0f51e11000 r--p 00000000 fe:00 11673758                   /plugins/cpu_exporter.so\n" +
        "7f0f51e11000-7f0f52413000 r-xp 00011000 fe:00 11673758                   /plugins/cpu_exporter.so\n" +
        "7f0f52413000-7f0f526b3000 r--p 00613000 fe:00 11673758                   /plugins/cpu_exporter.so\n" +
        "7f0f526b3000-7f0f526b4000 r--p 008b3000 fe:00 11673758                   /plugins/cpu_exporter.so\n" +
        "7f0f5291d000-7f0f5293d000 rw-p 00b1d000 fe:00 11673758                   /plugins/cpu_exporter.so\n" +
        "7f0f5293d000-7f0f52b9f000 rw-p 00000000 00:00 0 \n" +
        "7f0f60000000-7f0f60100000 r-xp 00000000 00:00 0 \n" +
        "7f0f61000000-7f0f61100000 r-xp 00011000 fe:00 4242 /usr/lib/x86_64-linux-gnu/libc.so.6\n";

    private static readonly List<(nuint Start, nuint Length)> Advised = [];

    [Fact]
    public void GivesBackTheImagesCleanReadOnlyMappingsOnly()
    {
        long released = Release(address: 0x7f0f51e20000);

        (ulong, ulong)[] expected = [(0x7f0f51e00000, 0x11000), (0x7f0f51e11000, 0x602000), (0x7f0f52413000, 0x2a0000)];
        Assert.Equal(expected, Advised.ConvertAll(a => ((ulong)a.Start, (ulong)a.Length)));
        Assert.Equal(64 + 3772 + 832, released);
    }

    [Fact]
    public void FindsTheImageFromAnyOfItsMappings()
    {
        Assert.Equal(64 + 3772 + 832, Release(address: 0x7f0f52420000));
        Assert.Equal(3, Advised.Count);
    }

    [Fact]
    public void DoesNothingForCodeOutsideAFile()
    {
        // Code the JIT wrote lives in anonymous memory: the tests' own case.
        Assert.Equal(0, Release(address: 0x7f0f60000010));
        Assert.Empty(Advised);
    }

    [Fact]
    public void DoesNothingForAnAddressNotMapped()
    {
        Assert.Equal(0, Release(address: 0x1000));
        Assert.Empty(Advised);
    }

    [Fact]
    public void CountsNothingTheKernelRefused()
    {
        Assert.Equal(0, Release(address: 0x7f0f51e20000, refuse: true));
        Assert.Equal(3, Advised.Count);
    }

    [Fact]
    public void SkipsALineLongerThanItsBufferAndReadsOn()
    {
        string longPath = "/" + new string('p', 5000);
        string maps = $"7f0f50000000-7f0f50100000 r-xp 00000000 fe:00 77 {longPath}\n" + Maps;
        string smaps = $"7f0f50000000-7f0f50100000 r-xp 00000000 fe:00 77 {longPath}\nRss: 8 kB\nAnonymous: 0 kB\n" + Smaps(Maps);

        Assert.Equal(64 + 3772 + 832, Release(address: 0x7f0f51e20000, maps: maps, smaps: smaps));
    }

    [Fact]
    public void ReadsTheLiveProcessWithoutAdvisingAnything()
    {
        // Under the JIT, Release finds its own code in anonymous memory: it reads /proc and gives nothing back.
        Assert.Equal(0, StartupPages.Release());
    }

    private static long Release(long address, bool refuse = false, string? maps = null, string? smaps = null)
    {
        Advised.Clear();
        s_refuse = refuse;
        using var mapsStream = new MemoryStream(Encoding.ASCII.GetBytes(maps ?? Maps));
        using var smapsStream = new ChunkedStream(Encoding.ASCII.GetBytes(smaps ?? Smaps(Maps)));
        return StartupPages.Release(mapsStream, smapsStream, (nint)address, &Record);
    }

    private static bool s_refuse;

    private static bool Record(nuint start, nuint length)
    {
        Advised.Add((start, length));
        return !s_refuse;
    }

    // Each mapping of Maps with the fields smaps adds; resident and private-copy sizes as measured.
    private static string Smaps(string maps)
    {
        var rss = new Dictionary<string, (int Rss, int Anonymous)>
        {
            ["7f0f51e00000"] = (64, 0),
            ["7f0f51e11000"] = (3772, 0),
            ["7f0f52413000"] = (832, 0),
            ["7f0f526b3000"] = (4, 4),
            // Writable: left alone even with no private copy yet (one could be made while it is given back).
            ["7f0f5291d000"] = (128, 0),
            ["7f0f5293d000"] = (2340, 2340),
        };
        var text = new StringBuilder();
        foreach (string line in maps.Split('\n', System.StringSplitOptions.RemoveEmptyEntries))
        {
            (int resident, int anonymous) = rss.GetValueOrDefault(line[..line.IndexOf('-')], (100, 0));
            text.Append(line).Append('\n')
                .Append($"Size:               {resident} kB\nKernelPageSize:        4 kB\n")
                .Append($"Rss:                {resident} kB\nPss:                {resident} kB\n")
                .Append($"Anonymous:          {anonymous} kB\nVmFlags: rd ex mr mw me\n");
        }

        return text.ToString();
    }

    /// <summary>Hands out at most 100 bytes a read, as a pipe would, so lines cross reads.</summary>
    private sealed class ChunkedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(System.Span<byte> buffer) => base.Read(buffer[..System.Math.Min(buffer.Length, 100)]);
    }
}
