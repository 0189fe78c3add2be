using System;
using System.Globalization;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Native;

namespace FluentBit.Plugins.Hosting;

/// <summary>
/// The <c>flb_config_map</c> array a plugin registers with Fluent Bit 5.1.1 and later, so that Fluent Bit itself
/// refuses an unknown or repeated key at start, on a dry run and on hot reload (keeping the old configuration), and
/// <c>fluent-bit -e x.so -o NAME -h</c> lists every key. Built from <see cref="ConfigKeys.All"/>, the one list of keys.
/// </summary>
/// <remarks>
/// Fluent Bit keeps the pointer for as long as the plugin is loaded and, on hot reload, calls FLBPluginRegister again
/// while the old array is in use and FLBPluginUnregister of the old definition only after that. So the array and its
/// strings are unmanaged memory made once per plugin and never freed nor moved: static for the life of the process.
/// </remarks>
internal static class ConfigMapTable
{
    /// <summary>The array for a plugin: the entries of <see cref="ConfigKeys.All"/>, then the all-zero end.</summary>
    public static nint Create(int defaultHttpPort) => FlbConfigMapArray.Create(Array.ConvertAll(ConfigKeys.All, key => new FlbConfigMapEntry(
        key.Type switch
        {
            ConfigKeyType.String => FlbConstants.ConfigMapString,
            ConfigKeyType.Integer => FlbConstants.ConfigMapInteger,
            ConfigKeyType.Boolean => FlbConstants.ConfigMapBoolean,
            _ => throw new ArgumentOutOfRangeException(nameof(key), key.Type, "a key type without a config map type"),
        },
        key.Name,
        key.Name == ConfigKeys.HttpPort ? defaultHttpPort.ToString(CultureInfo.InvariantCulture) : key.Default,
        key.Description)));
}
