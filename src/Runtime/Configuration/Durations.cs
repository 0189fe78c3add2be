using System;
using System.Globalization;

namespace FluentBit.Plugins.Configuration;

/// <summary>The one duration syntax of every key that takes one: a positive whole number of s, m, h or d.</summary>
internal static class Durations
{
    public const string Syntax = "a whole number of seconds, minutes, hours or days: 30s, 10m, 1h, 2d";

    /// <summary><c>off</c> (null), or a duration.</summary>
    public static bool TryParseOrOff(string text, out TimeSpan? duration)
    {
        duration = null;
        if (string.Equals(text, "off", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!TryParse(text, out TimeSpan value))
        {
            return false;
        }

        duration = value;
        return true;
    }

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length < 2)
        {
            return false;
        }

        double unit = char.ToLowerInvariant(text[^1]) switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            _ => 0,
        };
        if (unit == 0
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long count)
            || count == 0
            || count * unit > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(count * unit);
        return true;
    }
}
