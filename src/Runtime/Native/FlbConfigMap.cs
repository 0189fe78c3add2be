using System;
using System.Runtime.InteropServices;

namespace FluentBit.Plugins.Native;

/// <summary>
/// <c>struct flb_config_map</c> of Fluent Bit 5.1.1 (include/fluent-bit/flb_config_map.h), 104 bytes on x86-64: one key
/// of the array a plugin may register in <see cref="FlbPluginProxyDef.ConfigMap"/>, ended by an all-zero entry.
/// Fluent Bit copies each entry for every check and instance (keeping <see cref="Desc"/> as a pointer, so the strings
/// must live as long as the plugin is loaded) and never writes into it.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FlbConfigMap
{
    /// <summary>FLB_CONFIG_MAP_STR 0, INT 2, BOOL 3 (see <see cref="FlbConstants"/>).</summary>
    public int Type;

    public byte* Name;

    /// <summary>The default as text, or null; shown by <c>-h</c> (Fluent Bit never hands it to a proxy plugin).</summary>
    public byte* DefValue;

    /// <summary>FLB_CONFIG_MAP_MULT (1) lets the key repeat; 0 here: a repeated key is an error.</summary>
    public int Flags;

    /// <summary>0: Fluent Bit must not write the value into a context at <see cref="Offset"/> (a proxy has none).</summary>
    public int SetProperty;

    public nuint Offset;

    public byte* Desc;

    // struct flb_config_map_val value (40 bytes) and struct mk_list _head (16): used only in Fluent Bit's copies.
    private fixed byte _value[40];
    private fixed byte _head[16];
}

/// <summary>One key of a config map: its FLB_CONFIG_MAP type, name, default as text (or null) and description.</summary>
internal readonly record struct FlbConfigMapEntry(int Type, string Name, string? Default, string Description);

/// <summary>Makes the unmanaged <c>flb_config_map</c> array Fluent Bit reads.</summary>
internal static unsafe class FlbConfigMapArray
{
    /// <summary>
    /// The entries, then the all-zero end, in unmanaged memory that is never freed nor moved: Fluent Bit keeps pointers
    /// into it for as long as the plugin is loaded, across hot reloads.
    /// </summary>
    public static nint Create(ReadOnlySpan<FlbConfigMapEntry> entries)
    {
        var map = (FlbConfigMap*)NativeMemory.AllocZeroed((nuint)(entries.Length + 1), (nuint)sizeof(FlbConfigMap));
        for (int i = 0; i < entries.Length; i++)
        {
            map[i].Type = entries[i].Type;
            map[i].Name = Utf8(entries[i].Name);
            map[i].DefValue = entries[i].Default is { } value ? Utf8(value) : null;
            map[i].Desc = Utf8(entries[i].Description);
        }

        return (nint)map;
    }

    private static byte* Utf8(string text) => (byte*)Marshal.StringToCoTaskMemUTF8(text);
}
