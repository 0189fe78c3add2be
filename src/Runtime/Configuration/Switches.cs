namespace FluentBit.Plugins.Configuration;

/// <summary>The one on/off syntax of every key that takes one.</summary>
internal static class Switches
{
    /// <summary>A boolean as Fluent Bit spells them: on/off, true/false, yes/no.</summary>
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
