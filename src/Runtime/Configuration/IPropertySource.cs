namespace FluentBit.Plugins.Configuration;

/// <summary>An instance's configuration as Fluent Bit exposes it: one key at a time, case-insensitive, null when unset.</summary>
internal interface IPropertySource
{
    string? Get(string key);
}
