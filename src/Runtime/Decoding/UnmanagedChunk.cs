using System;
using System.Buffers;

namespace FluentBit.Plugins.Decoding;

/// <summary>
/// Exposes the chunk Fluent Bit passes to a flush as <see cref="Memory{T}"/> without copying it.
/// One instance per thread is reused, so a flush allocates nothing; the memory is valid only during the call.
/// </summary>
internal sealed unsafe class UnmanagedChunk : MemoryManager<byte>
{
    [ThreadStatic]
    private static UnmanagedChunk? t_current;

    private byte* _data;
    private int _length;

    /// <summary>Points this thread's chunk at <paramref name="data"/>; the result must not outlive the flush.</summary>
    public static ReadOnlyMemory<byte> Wrap(byte* data, nuint size)
    {
        if (size > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "a chunk larger than 2 GiB cannot be decoded");
        }

        UnmanagedChunk chunk = t_current ??= new UnmanagedChunk();
        chunk._data = data;
        chunk._length = (int)size;
        return chunk.Memory;
    }

    public override Span<byte> GetSpan() => new(_data, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_data + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
