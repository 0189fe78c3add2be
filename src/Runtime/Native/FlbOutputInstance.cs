using System.Runtime.InteropServices;

namespace FluentBit.Plugins.Native;

/// <summary>
/// An output instance as Fluent Bit hands it to Init: its API table and <c>o_ins</c>, kept as addresses, with the
/// three calls the plugin makes through them (read a property, ask whether a level is logged, print a line). The
/// pointers stay in here: the layers above read properties and write lines without <c>unsafe</c>.
/// </summary>
internal readonly unsafe struct FlbOutputInstance
{
    private static readonly byte[] Format = "%s\0"u8.ToArray();

    private readonly FlbApi* _api;
    private readonly void* _instance;

    public FlbOutputInstance(FlbApi* api, void* instance)
    {
        _api = api;
        _instance = instance;
    }

    /// <summary>Whether Fluent Bit's <c>log_print</c> is there to write to.</summary>
    public bool CanPrint => _api != null && _api->LogPrint != null;

    /// <summary>A property's value through <c>output_get_property</c>; null when unset or empty (Fluent Bit reads an empty value as unset).</summary>
    public string? GetProperty(string key)
    {
        if (_api == null || _api->OutputGetProperty == null)
        {
            return null;
        }

        nint name = Marshal.StringToCoTaskMemUTF8(key);
        try
        {
            byte* value = _api->OutputGetProperty((byte*)name, _instance);
            return value == null || *value == 0 ? null : Marshal.PtrToStringUTF8((nint)value);
        }
        finally
        {
            Marshal.FreeCoTaskMem(name);
        }
    }

    /// <summary><c>output_log_check</c>: whether the instance's <c>log_level</c> lets <paramref name="level"/> through (true when it cannot tell).</summary>
    public bool IsLogged(FlbLogLevel level) =>
        _api == null || _api->OutputLogCheck == null || _instance == null || _api->OutputLogCheck(_instance, (int)level) != 0;

    /// <summary>Prints <paramref name="line"/> through <c>log_print</c>, as the argument of "%s" (a '%' in it is never read as a format).</summary>
    /// <param name="level">The line's level.</param>
    /// <param name="file">The NUL-terminated name Fluent Bit prints as the line's source.</param>
    /// <param name="line">The text.</param>
    public void Print(FlbLogLevel level, byte[] file, string line)
    {
        nint text = Marshal.StringToCoTaskMemUTF8(line);
        try
        {
            fixed (byte* format = Format)
            fixed (byte* source = file)
            {
                _api->LogPrint((int)level, source, 0, format, (byte*)text);
            }
        }
        finally
        {
            Marshal.FreeCoTaskMem(text);
        }
    }
}
