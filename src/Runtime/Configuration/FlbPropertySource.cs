using System.Runtime.InteropServices;
using FluentBit.Plugins.Native;

namespace FluentBit.Plugins.Configuration;

/// <summary>Reads properties through <c>output_get_property</c>.</summary>
internal sealed unsafe class FlbPropertySource : IPropertySource
{
    private readonly FlbApi* _api;
    private readonly void* _outputInstance;

    public FlbPropertySource(FlbApi* api, void* outputInstance)
    {
        _api = api;
        _outputInstance = outputInstance;
    }

    public string? Get(string key)
    {
        if (_api == null || _api->OutputGetProperty == null)
        {
            return null;
        }

        nint name = Marshal.StringToCoTaskMemUTF8(key);
        try
        {
            byte* value = _api->OutputGetProperty((byte*)name, _outputInstance);

            // Fluent Bit reads an empty value as unset.
            return value == null || *value == 0 ? null : Marshal.PtrToStringUTF8((nint)value);
        }
        finally
        {
            Marshal.FreeCoTaskMem(name);
        }
    }
}
