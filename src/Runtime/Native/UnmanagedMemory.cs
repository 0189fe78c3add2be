using System;
using System.Buffers;
using System.Runtime.InteropServices;

namespace FluentBit.Plugins.Native;

/// <summary>
/// Exposes the chunk and the tag Fluent Bit passes to a flush as <see cref="Memory{T}"/> without copying them, so
/// that nothing past the exports sees a pointer. One pair per thread is reused, so a flush allocates nothing; the
/// memory is valid only during the call.
/// </summary>
internal sealed unsafe class UnmanagedMemory : MemoryManager<byte>
{
    [ThreadStatic]
    private static UnmanagedMemory? t_chunk;

    [ThreadStatic]
    private static UnmanagedMemory? t_tag;

    private byte* _data;
    private int _length;

    /// <summary>
    /// Points this thread's chunk at <paramref name="data"/>; false, with the reason, for what no span can hold (2 GiB
    /// and more) or no data at all.
    /// </summary>
    public static bool TryWrapChunk(byte* data, nuint size, out ReadOnlyMemory<byte> chunk, out string problem)
    {
        (chunk, problem) = (default, "");
        if (size > int.MaxValue)
        {
            problem = "a chunk larger than 2 GiB cannot be decoded";
            return false;
        }

        if (data == null && size > 0)
        {
            problem = "Fluent Bit passed no data";
            return false;
        }

        chunk = Wrap(ref t_chunk, data, (int)size);
        return true;
    }

    /// <summary>Points this thread's tag at the NUL-terminated <paramref name="tag"/> (without the NUL); empty for null.</summary>
    public static ReadOnlyMemory<byte> WrapTag(byte* tag) =>
        tag == null ? default : Wrap(ref t_tag, tag, MemoryMarshal.CreateReadOnlySpanFromNullTerminated(tag).Length);

    private static ReadOnlyMemory<byte> Wrap(ref UnmanagedMemory? slot, byte* data, int length)
    {
        UnmanagedMemory memory = slot ??= new UnmanagedMemory();
        memory._data = data;
        memory._length = length;
        return memory.Memory;
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
