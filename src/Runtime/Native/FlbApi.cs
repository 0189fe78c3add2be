using System.Runtime.InteropServices;

namespace FluentBit.Plugins.Native;

/// <summary><c>struct flb_api</c>: Fluent Bit's function table, in declaration order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FlbApi
{
    public delegate* unmanaged<byte*, void*, byte*> OutputGetProperty;
    public delegate* unmanaged<byte*, void*, byte*> InputGetProperty;
    public delegate* unmanaged<void*, void*> OutputGetCmtInstance;
    public delegate* unmanaged<void*, void*> InputGetCmtInstance;

    // Variadic in C (level, file, line, fmt, ...); always called with fmt "%s" and one string argument.
    public delegate* unmanaged<int, byte*, int, byte*, byte*, void> LogPrint;
    public delegate* unmanaged<void*, int, int> InputLogCheck;
    public delegate* unmanaged<void*, int, int> OutputLogCheck;
    public delegate* unmanaged<byte*, void*, byte*> CustomGetProperty;
    public delegate* unmanaged<void*, int, int> CustomLogCheck;
}
