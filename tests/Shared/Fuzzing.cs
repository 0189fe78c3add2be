using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// Memory for one input at a time with an inaccessible page on each side: an input placed against either guard
/// makes any read before its first byte or after its last one fault, instead of reading a neighbour's bytes.
/// </summary>
public sealed unsafe class GuardedBuffer : IDisposable
{
    private const int ProtNone = 0;
    private const int ProtReadWrite = 3;
    private const int MapPrivateAnonymous = 0x02 | 0x20;

    private readonly nint _map;
    private readonly nuint _mapSize;
    private readonly nuint _page;

    public GuardedBuffer(int capacity)
    {
        _page = (nuint)Environment.SystemPageSize;
        Capacity = (nuint)capacity + _page - 1 & ~(_page - 1);
        _mapSize = Capacity + (2 * _page);
        _map = Mmap(0, _mapSize, ProtReadWrite, MapPrivateAnonymous, -1, 0);
        if (_map == -1 || Mprotect(_map, _page, ProtNone) != 0 || Mprotect(_map + (nint)(_page + Capacity), _page, ProtNone) != 0)
        {
            throw new InvalidOperationException($"cannot map a guarded buffer: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public nuint Capacity { get; }

    private byte* Start => (byte*)_map + _page;

    /// <summary>Copies <paramref name="input"/> against the upper guard (<paramref name="atEnd"/>) or the lower one.</summary>
    public nint Place(ReadOnlySpan<byte> input, bool atEnd)
    {
        byte* at = atEnd ? Start + Capacity - (nuint)input.Length : Start;
        input.CopyTo(new Span<byte>(at, input.Length));
        return (nint)at;
    }

    public void Dispose() => Munmap(_map, _mapSize);

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static extern nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [DllImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static extern int Mprotect(nint address, nuint length, int protection);

    [DllImport("libc", EntryPoint = "munmap")]
    private static extern int Munmap(nint address, nuint length);
}

/// <summary>
/// Derives input number <c>i</c> of a campaign from its seeds, deterministically from (seed, i) alone, so that any
/// input can be made again without the ones before it: bit flips, interesting bytes, truncation, inflated lengths
/// and counts, type swaps, deep nesting, slices duplicated, deleted or spliced from another seed.
/// </summary>
public sealed class ChunkMutator
{
    public const int MaxLength = 256 * 1024;

    private static readonly byte[] Interesting =
    [
        0x00, 0x01, 0x7f, 0x80, 0x81, 0x8f, 0x90, 0x91, 0x92, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc6, 0xc7, 0xc9,
        0xca, 0xcb, 0xcc, 0xcf, 0xd0, 0xd3, 0xd4, 0xd7, 0xd8, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff,
    ];

    private readonly byte[][] _seeds;
    private readonly long _seed;
    private byte[] _buffer = new byte[MaxLength * 2];

    public ChunkMutator(IReadOnlyList<byte[]> seeds, long seed)
    {
        _seeds = [.. seeds];
        _seed = seed;
    }

    /// <summary>Input <paramref name="index"/>: valid only until the next call.</summary>
    public ReadOnlySpan<byte> Make(long index)
    {
        var random = new SplitMix64(((ulong)_seed * 0x9E3779B97F4A7C15) ^ (ulong)index);
        byte[] seed = _seeds[random.Below(_seeds.Length)];
        int length = seed.Length;
        seed.CopyTo(_buffer, 0);
        int mutations = 1 + random.Below(4);
        for (int m = 0; m < mutations; m++)
        {
            length = Mutate(ref random, length);
        }

        return _buffer.AsSpan(0, length);
    }

    private int Mutate(ref SplitMix64 random, int length)
    {
        Span<byte> data = _buffer;
        int at = length == 0 ? 0 : random.Below(length);
        switch (random.Below(10))
        {
            case 0:
                for (int flips = 1 + random.Below(8); flips > 0 && length > 0; flips--)
                {
                    data[random.Below(length)] ^= (byte)(1 << random.Below(8));
                }

                return length;
            case 1:
                if (length > 0)
                {
                    data[at] = Interesting[random.Below(Interesting.Length)];
                }

                return length;
            case 2:
                return random.Below(length + 1);
            case 3:
                return InflateLength(ref random, data, length);
            case 4:
                return SwapType(ref random, data, length);
            case 5:
                // Nesting up to 20,000 levels deep, of arrays or of maps.
                bool maps = random.Below(2) == 0;
                int levels = random.Below(4) == 0 ? random.Below(20_000) : random.Below(64);
                int size = levels * (maps ? 3 : 1);
                if (length + size > MaxLength)
                {
                    return length;
                }

                data[at..length].CopyTo(data[(at + size)..]);
                for (int i = 0; i < levels; i++)
                {
                    if (maps)
                    {
                        data[at + (3 * i)] = 0x81;
                        data[at + (3 * i) + 1] = 0xa1;
                        data[at + (3 * i) + 2] = (byte)'a';
                    }
                    else
                    {
                        data[at + i] = 0x91;
                    }
                }

                return length + size;
            case 6:
                int copy = Math.Min(random.Below(length - at + 1), MaxLength - length);
                int to = random.Below(length + 1);
                data[at..(at + copy)].CopyTo(_buffer.AsSpan(MaxLength));
                data[to..length].CopyTo(data[(to + copy)..]);
                _buffer.AsSpan(MaxLength, copy).CopyTo(data[to..]);
                return length + copy;
            case 7:
                int cut = random.Below(length - at + 1);
                data[(at + cut)..length].CopyTo(data[at..]);
                return length - cut;
            case 8:
                byte[] other = _seeds[random.Below(_seeds.Length)];
                int from = random.Below(other.Length + 1);
                int tail = Math.Min(other.Length - from, MaxLength - at);
                other.AsSpan(from, tail).CopyTo(data[at..]);
                return at + tail;
            default:
                int count = Math.Min(1 + random.Below(16), MaxLength - length);
                data[at..length].CopyTo(data[(at + count)..]);
                for (int i = 0; i < count; i++)
                {
                    data[at + i] = (byte)random.Next();
                }

                return length + count;
        }
    }

    /// <summary>Finds a header with a length or count after <paramref name="length"/>'s random start and makes it larger.</summary>
    private static int InflateLength(ref SplitMix64 random, Span<byte> data, int length)
    {
        for (int tries = 0, at = length == 0 ? 0 : random.Below(length); tries < 64 && at < length; tries++, at++)
        {
            byte code = data[at];
            int width = code switch
            {
                0xc4 or 0xc7 or 0xd9 => 1,
                0xc5 or 0xc8 or 0xda or 0xdc or 0xde => 2,
                0xc6 or 0xc9 or 0xdb or 0xdd or 0xdf => 4,
                _ => 0,
            };
            if (code is >= 0x80 and <= 0xbf)
            {
                // fixmap, fixarray, fixstr: the largest count or length the code can say.
                data[at] = (byte)(code | (code >= 0xa0 ? 0x1f : 0x0f));
                return length;
            }

            if (width > 0 && at + width < length)
            {
                ulong value = random.Below(3) switch
                {
                    0 => ulong.MaxValue,
                    1 => (ulong)(1 + random.Below(16)) + ReadLength(data.Slice(at + 1, width)),
                    _ => random.Next(),
                };
                for (int i = 0; i < width; i++)
                {
                    data[at + width - i] = (byte)(value >> (8 * i));
                }

                return length;
            }
        }

        return length;
    }

    private static ulong ReadLength(Span<byte> bytes)
    {
        ulong value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>Replaces a header's type with another one of the same width: map and array, str and bin, int and float.</summary>
    private static int SwapType(ref SplitMix64 random, Span<byte> data, int length)
    {
        for (int tries = 0, at = length == 0 ? 0 : random.Below(length); tries < 64 && at < length; tries++, at++)
        {
            byte code = data[at];
            byte swapped = code switch
            {
                >= 0x80 and <= 0x8f => (byte)(code + 0x10),
                >= 0x90 and <= 0x9f => (byte)(code - 0x10),
                >= 0xa0 and <= 0xbf => (byte)(random.Below(2) == 0 ? 0xc0 : 0xc2 + random.Below(2)),
                0xd9 => 0xc4,
                0xc4 => 0xd9,
                0xda => 0xc5,
                0xdc => 0xde,
                0xde => 0xdc,
                0xdd => 0xdf,
                0xdf => 0xdd,
                0xca => 0xce,
                0xce => 0xca,
                0xcb => 0xcf,
                0xcf => 0xcb,
                0xd7 => 0xd3,
                0xc2 or 0xc3 => 0xc0,
                _ => 0,
            };
            if (swapped != 0)
            {
                data[at] = swapped;
                return length;
            }
        }

        return length;
    }

    /// <summary>A small, fast, allocation-free generator (SplitMix64).</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }

        public int Below(int bound) => bound <= 0 ? 0 : (int)(Next() % (ulong)bound);
    }
}

/// <summary>A chunk validator: whether a flush must accept the chunk (FLB_OK) or refuse it (FLB_ERROR).</summary>
public delegate bool ChunkOracle(ReadOnlySpan<byte> chunk);

/// <summary>What a campaign saw.</summary>
public sealed record FuzzReport(long Inputs, long Ok, long Error, long Unexpected, long Disagreements, long InputBytes, TimeSpan Elapsed, TimeSpan SlowestFlush, long MostAllocated, double MostAllocatedPerByte)
{
    public double InputsPerSecond => Inputs / Elapsed.TotalSeconds;

    /// <summary>Every input answered FLB_OK or FLB_ERROR as the oracle said, both answers occurred, no flush took a second.</summary>
    public void AssertSound()
    {
        Xunit.Assert.Equal(Inputs, Ok + Error);
        Xunit.Assert.Equal(0, Unexpected);
        Xunit.Assert.Equal(0, Disagreements);
        Xunit.Assert.True(Ok > Inputs / 20 && Error > Inputs / 20, "the mutations must give both good and damaged chunks");
        Xunit.Assert.True(SlowestFlush < TimeSpan.FromSeconds(1), $"slowest flush {SlowestFlush}");
    }

    public override string ToString() =>
        $"{Inputs:N0} inputs ({InputBytes / 1048576.0:N0} MiB) in {Elapsed.TotalSeconds:N1} s = {InputsPerSecond:N0}/s; ok {Ok:N0}, error {Error:N0}, " +
        $"unexpected results {Unexpected}, disagreements with the oracle {Disagreements}; slowest flush {SlowestFlush.TotalMilliseconds:N1} ms; " +
        $"most allocated by one input {MostAllocated:N0} B, {MostAllocatedPerByte:N1} B per input byte at most";
}

/// <summary>
/// Runs a flush over mutated inputs placed against guard pages, alternately at the end and at the start of the
/// mapping. Every result must be FLB_OK or FLB_ERROR, as the oracle says; no flush may hang (the campaign runs on
/// a thread of its own and fails if an input takes longer than <see cref="HangLimit"/>); the bytes a flush
/// allocates on the calling thread are measured per input. Progress is written every 10,000 inputs to
/// <c>artifacts/fuzz/NAME.progress</c>, so that after a crash <c>FUZZ_SEED</c> and <c>FUZZ_START</c> replay from there.
/// </summary>
public static class FuzzCampaign
{
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    /// <summary>FUZZ_INPUTS, or <paramref name="defaultCount"/>.</summary>
    public static long Count(long defaultCount) =>
        long.TryParse(Environment.GetEnvironmentVariable("FUZZ_INPUTS"), out long count) ? count : defaultCount;

    /// <param name="validator">
    /// The flush's own structural check, if the test can call it: its verdict must equal the oracle's, input by input,
    /// whatever the flush then returns (a flush that throws after a wrong verdict may still return FLB_ERROR).
    /// </param>
    public static FuzzReport Run(string name, IReadOnlyList<byte[]> seeds, long count, Func<nint, nuint, int> flush, ChunkOracle oracle, ChunkOracle? validator = null)
    {
        long seed = long.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out long s) ? s : 1;
        long start = long.TryParse(Environment.GetEnvironmentVariable("FUZZ_START"), out long f) ? f : 0;
        string progress = Path.Combine(Vectors.RepoRoot(), "artifacts", "fuzz", name + ".progress");
        Directory.CreateDirectory(Path.GetDirectoryName(progress)!);

        var mutator = new ChunkMutator(seeds, seed);
        using var buffer = new GuardedBuffer(ChunkMutator.MaxLength);
        long current = start;
        long ok = 0, error = 0, unexpected = 0, disagreements = 0, bytes = 0, mostAllocated = 0;
        double perByte = 0;
        long slowest = 0;
        Exception? failure = null;
        var clock = Stopwatch.StartNew();
        var thread = new Thread(() =>
        {
            try
            {
                for (long i = start; i < start + count; i++)
                {
                    Volatile.Write(ref current, i);
                    if (i % 10_000 == 0)
                    {
                        File.WriteAllText(progress, $"FUZZ_SEED={seed} FUZZ_START={i}\n");
                    }

                    ReadOnlySpan<byte> input = mutator.Make(i);
                    nint data = buffer.Place(input, atEnd: (i & 1) == 0);
                    bool wellFormed = oracle(input);
                    long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                    long before = Stopwatch.GetTimestamp();
                    int result = flush(data, (nuint)input.Length);
                    slowest = Math.Max(slowest, Stopwatch.GetTimestamp() - before);
                    long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                    mostAllocated = Math.Max(mostAllocated, allocated);
                    perByte = Math.Max(perByte, allocated / (double)Math.Max(input.Length, 1));
                    bytes += input.Length;
                    switch (result)
                    {
                        case 1: ok++; break;
                        case 0: error++; break;
                        default: unexpected++; break;
                    }

                    if ((result == 1) != wellFormed || (validator is not null && validator(input) != wellFormed))
                    {
                        disagreements++;
                        if (Environment.GetEnvironmentVariable("FUZZ_SHOW_DISAGREEMENTS") == "1" && disagreements <= 5)
                        {
                            Console.Error.WriteLine($"disagreement at input {i}: flush {result}, validator {validator?.Invoke(input)}, oracle {wellFormed}: {Convert.ToHexString(input)}");
                        }
                    }
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 16 * 1024 * 1024);
        thread.Start();
        long seen = -1;
        while (!thread.Join(HangLimit))
        {
            long now = Volatile.Read(ref current);
            if (now == seen)
            {
                throw new TimeoutException($"input {now} (FUZZ_SEED={seed} FUZZ_START={now} FUZZ_INPUTS=1) has been flushing for over {HangLimit.TotalSeconds} s");
            }

            seen = now;
        }

        if (failure is not null)
        {
            throw new InvalidOperationException($"the campaign failed at input {current} (FUZZ_SEED={seed} FUZZ_START={current})", failure);
        }

        File.WriteAllText(progress, $"FUZZ_SEED={seed} FUZZ_START={start} FUZZ_INPUTS={count}: done\n");
        return new FuzzReport(count, ok, error, unexpected, disagreements, bytes, clock.Elapsed, Stopwatch.GetElapsedTime(0, slowest), mostAllocated, perByte);
    }
}
