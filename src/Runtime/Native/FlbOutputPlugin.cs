using System.Runtime.InteropServices;

namespace FluentBit.Plugins.Native;

/// <summary><c>struct flbgo_output_plugin</c>: what FLBPluginInit receives for one [OUTPUT] instance.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FlbOutputPlugin
{
    public byte* Name;
    public FlbApi* Api;
    public void* OutputInstance;
    public FlbPluginContext* Context;
}

/// <summary>Holds the per-instance handle Fluent Bit passes back to FlushCtx and ExitCtx.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FlbPluginContext
{
    public void* RemoteContext;
}
