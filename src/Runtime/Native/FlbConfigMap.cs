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
