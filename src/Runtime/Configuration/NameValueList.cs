using System;
using System.Collections.Generic;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// The one syntax of every key that holds a list of pairs (<c>add_labels</c>, <c>remote_write_headers</c>):
/// <c>name=value</c> entries separated by commas, each name and value trimmed, the value from the first '='.
/// A key holds the whole list because Fluent Bit hands a proxy plugin only the first value of a repeated key.
/// </summary>
internal static class NameValueList
{
    /// <param name="value">The key's value.</param>
    /// <param name="invalid">The key's error for what is wrong with an entry.</param>
    /// <exception cref="PluginConfigException">An entry is empty or has no '='.</exception>
    public static List<(string Name, string Value)> Split(string value, Func<string, PluginConfigException> invalid)
    {
        var pairs = new List<(string, string)>();
        foreach (string entry in value.Split(','))
        {
            string trimmed = entry.Trim();
            int eq = trimmed.IndexOf('=');
            if (eq < 0)
            {
                throw invalid(trimmed.Length == 0 ? "an entry is empty" : $"'{trimmed}' has no '='");
            }

            pairs.Add((trimmed[..eq].Trim(), trimmed[(eq + 1)..].Trim()));
        }

        return pairs;
    }
}
