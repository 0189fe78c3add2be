using System;
using System.Runtime.CompilerServices;
using FluentBit.Plugins;

namespace StackExporter;

/// <summary>
/// A test plugin whose hook uses as much stack as each record asks for (<c>kib</c>), to prove that user code runs
/// on a stack of the plugin's own: 256 KiB must work under Fluent Bit's 24 KiB coroutine stack, and a runaway
/// recursion must stop the process as a stack overflow rather than write over the memory below the coroutine.
/// </summary>
[FluentBitPlugin("stack_exporter", "Test fixture: a hook that uses as much stack as a record asks for", DefaultHttpPort = 8993)]
public sealed partial class StackExporter : PrometheusExporter<StackRecord>
{
    private const int FrameBytes = 1024;

    private static bool OnRecord(StackRecord record, in EventContext context)
    {
        record.Checksum = Recurse(record.KiB);
        return true;
    }

    /// <summary>One frame of at least 1 KiB per level, which the JIT can neither inline nor turn into a loop.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Recurse(int kib)
    {
        Span<byte> frame = stackalloc byte[FrameBytes];
        frame[kib & (FrameBytes - 1)] = (byte)kib;
        return kib <= 1 ? frame[kib & (FrameBytes - 1)] : Recurse(kib - 1) + frame[(kib - 1) & (FrameBytes - 1)];
    }
}

[RecordCounter("stack_records_total", "Records whose hook returned")]
public sealed class StackRecord
{
    /// <summary>How much stack the hook uses for this record, in KiB.</summary>
    [Key("kib"), Counter("stack_kib_total", "Stack the hooks used, in KiB")]
    public int KiB { get; set; }

    /// <summary>What the recursion computed, so that it cannot be optimised away.</summary>
    [Computed, Gauge("stack_checksum", "The last recursion's result")]
    public double Checksum { get; set; }
}
