using FluentBit.Plugins.Native;

namespace FluentBit.Plugins.Configuration;

/// <summary>Reads properties through Fluent Bit's <c>output_get_property</c>.</summary>
internal sealed class FlbPropertySource(FlbOutputInstance instance) : IPropertySource
{
    public string? Get(string key) => instance.GetProperty(key);
}
