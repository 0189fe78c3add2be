using System.Runtime.InteropServices;

namespace FluentBit.Plugins.Native;

/// <summary><c>struct flb_plugin_proxy_def</c>: zeroed by Fluent Bit, filled by FLBPluginRegister.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FlbPluginProxyDef
{
    public int Type;
    public int Proxy;
    public int Flags;
    public byte* Name;
    public byte* Description;
    public int EventType;
    public void* ConfigMap;
}
