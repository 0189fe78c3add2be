using System;
using System.Buffers.Text;
using System.IO;
using System.Runtime.InteropServices;

namespace FluentBit.Plugins.Native;

/// <summary>
/// Gives back the pages of the plugin's own image that only its start touched, as Linux frees its <c>__init</c>
/// sections after boot. Starting the runtime, Init, the first flush and Kestrel's start run code scattered across
/// the image, and each page fault maps its 64 KiB neighbourhood (the kernel's fault-around): after them 70 % of
/// the code is resident, most of it never run again. Unmapping the image's clean read-only mappings lets what runs
/// afterwards (flushes, scrapes) fault back only its own pages. The pages stay in the page cache, shared and
/// clean: the kernel may take them from the process itself under memory pressure, and one used again costs a
/// minor fault. Measured in docs/benchmarks.md ("Idle memory").
/// </summary>
/// <remarks>
/// Only mappings of the image's file that are read-only and hold no private copy of a page (<c>Anonymous: 0 kB</c>
/// in <c>/proc/self/smaps</c>) are touched: for those, <c>MADV_DONTNEED</c> means "read it from the file again",
/// which holds what they held. A page the dynamic loader relocated (RELRO) or a debugger patched is a private copy
/// that would be lost: a mapping holding one is left alone. Under the JIT (the tests) the code is not in a file,
/// and nothing is done. Parsed from bytes on the stack: reading smaps must not grow the heap it is meant to shrink.
/// </remarks>
internal static unsafe partial class StartupPages
{
    private const int MadvDontNeed = 4;

    // A line of /proc/self/smaps is short, except a path: a longer line than this is skipped (it is not a mapping
    // of ours unless the image's path is that long, and then the pages stay, as without this class).
    private const int LineBuffer = 4096;

    /// <summary>Unmaps the image's clean read-only pages; returns how many KiB were resident in them.</summary>
    public static long Release()
    {
        try
        {
            using var maps = new FileStream("/proc/self/maps", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            using var smaps = new FileStream("/proc/self/smaps", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            return Release(maps, smaps, (nint)(delegate*<long>)&Release, &Advise);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // No /proc: the pages stay resident, as they would without this.
            return 0;
        }
    }

    /// <summary>
    /// Finds the file mapped at <paramref name="address"/> in <paramref name="maps"/>, then calls
    /// <paramref name="advise"/> (start, length) on each of its clean read-only mappings listed in
    /// <paramref name="smaps"/>; returns the KiB resident in those it advised.
    /// </summary>
    internal static long Release(Stream maps, Stream smaps, nint address, delegate*<nuint, nuint, bool> advise)
    {
        Span<byte> file = stackalloc byte[64];
        int fileLength = FindFile(maps, (ulong)address, file);
        if (fileLength <= 0)
        {
            return 0;
        }

        file = file[..fileLength];
        long released = 0, rss = 0;
        ulong start = 0, end = 0;
        bool candidate = false;
        var lines = new LineReader(smaps, stackalloc byte[LineBuffer]);
        while (lines.TryRead(out ReadOnlySpan<byte> line))
        {
            if (TryParseMapping(line, out ulong s, out ulong e, out ReadOnlySpan<byte> perms, out ReadOnlySpan<byte> id))
            {
                (start, end, rss) = (s, e, 0);
                candidate = id.SequenceEqual(file) && (perms.SequenceEqual("r-xp"u8) || perms.SequenceEqual("r--p"u8));
            }
            else if (candidate && line.StartsWith("Rss:"u8))
            {
                rss = ParseKiB(line);
            }
            else if (candidate && line.StartsWith("Anonymous:"u8))
            {
                // Each entry lists Rss before Anonymous: once Anonymous is known, the mapping is decided.
                candidate = false;
                if (ParseKiB(line) == 0 && rss > 0 && advise((nuint)start, (nuint)(end - start)))
                {
                    released += rss;
                }
            }
        }

        return released;
    }

    /// <summary>Copies the device and inode of the file mapped at <paramref name="address"/>; 0 if none.</summary>
    private static int FindFile(Stream maps, ulong address, Span<byte> file)
    {
        var lines = new LineReader(maps, stackalloc byte[LineBuffer]);
        while (lines.TryRead(out ReadOnlySpan<byte> line))
        {
            if (TryParseMapping(line, out ulong start, out ulong end, out _, out ReadOnlySpan<byte> id) && address >= start && address < end)
            {
                // Inode 0: anonymous memory (code the JIT wrote), not a file.
                bool isFile = !id.EndsWith(" 0"u8) && id.Length <= file.Length;
                return isFile && id.TryCopyTo(file) ? id.Length : 0;
            }
        }

        return 0;
    }

    // "7f5c0000-7f5d0000 r-xp 00011000 fe:00 11673758    /path/to/file": id is "fe:00 11673758" (device and inode).
    private static bool TryParseMapping(ReadOnlySpan<byte> line, out ulong start, out ulong end, out ReadOnlySpan<byte> perms, out ReadOnlySpan<byte> id)
    {
        perms = id = default;
        end = 0;
        int dash = line.IndexOf((byte)'-');
        if (dash <= 0 || !Utf8Parser.TryParse(line[..dash], out start, out int used, 'x') || used != dash)
        {
            start = 0;
            return false;
        }

        ReadOnlySpan<byte> rest = line[(dash + 1)..];
        if (!Utf8Parser.TryParse(rest, out end, out used, 'x') || !Field(ref rest, used, out _) ||
            !Field(ref rest, 0, out perms) || !Field(ref rest, 0, out _) || !Field(ref rest, 0, out ReadOnlySpan<byte> device))
        {
            return false;
        }

        int inode = rest.IndexOf((byte)' ');
        int idLength = device.Length + 1 + (inode < 0 ? rest.Length : inode);
        id = line.Slice(line.Length - rest.Length - device.Length - 1, idLength);
        return true;
    }

    // Takes the field of rest that ends at the first space at or after from, and moves rest past that space.
    private static bool Field(scoped ref ReadOnlySpan<byte> rest, int from, out ReadOnlySpan<byte> field)
    {
        int space = rest[from..].IndexOf((byte)' ');
        if (space < 0)
        {
            field = default;
            return false;
        }

        field = rest[..(from + space)];
        rest = rest[(from + space + 1)..];
        return true;
    }

    // "Rss:                 132 kB"
    private static long ParseKiB(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> value = line[(line.IndexOf((byte)':') + 1)..].TrimStart((byte)' ');
        return Utf8Parser.TryParse(value, out long kib, out _) ? kib : -1;
    }

    private static bool Advise(nuint start, nuint length) => Madvise(start, length, MadvDontNeed) == 0;

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nuint address, nuint length, int advice);

    /// <summary>Lines of a stream, read into a buffer on the caller's stack; a line longer than it is skipped.</summary>
    private ref struct LineReader(Stream stream, Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;
        private int _start;
        private int _end;
        private bool _skipping;
        private bool _done;

        public bool TryRead(out ReadOnlySpan<byte> line)
        {
            while (true)
            {
                int newline = _buffer[_start.._end].IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    line = _buffer.Slice(_start, newline);
                    _start += newline + 1;
                    if (_skipping)
                    {
                        _skipping = false;
                        continue;
                    }

                    return true;
                }

                if (_done)
                {
                    // A last line without a newline.
                    line = _buffer[_start.._end];
                    _start = _end;
                    return !line.IsEmpty && !_skipping;
                }

                if (_start == 0 && _end == _buffer.Length)
                {
                    // A line longer than the buffer: dropped up to its newline.
                    _skipping = true;
                    _end = 0;
                }

                _buffer[_start.._end].CopyTo(_buffer);
                _end -= _start;
                _start = 0;
                int read = stream.Read(_buffer[_end..]);
                _done = read == 0;
                _end += read;
            }
        }
    }
}
