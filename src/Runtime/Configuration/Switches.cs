namespace FluentBit.Plugins.Configuration;

/// <summary>The one on/off syntax of every key that takes one.</summary>
internal static class Switches
{
    /// <summary>A boolean as Fluent Bit spells them: on/off, true/false, yes/no.</summary>
    /// <summary>The switch <paramref name="key"/> of <paramref name="properties"/>, or its default from <see cref="ConfigKeys.All"/>.</summary>
    /// <exception cref="PluginConfigException">The value is not on or off.</exception>
    public static bool Read(IPropertySource properties, string key) =>
        Parse(key, properties.Get(key), defaultValue: Parse(key, ConfigKeys.DefaultOf(key), defaultValue: false));

    public static bool Parse(string key, string? value, bool defaultValue)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null:
                return defaultValue;
            case "on" or "true" or "yes":
                return true;
            case "off" or "false" or "no":
                return false;
            default:
                throw new PluginConfigException(
                    $"invalid value '{value}' for {key}: expected on or off (default {(defaultValue ? "on" : "off")})");
        }
    }
}
