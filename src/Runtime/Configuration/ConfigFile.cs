using System;
using System.IO;

namespace FluentBit.Plugins.Configuration;

/// <summary>Reads a file a configuration key names, failing with a message that names both.</summary>
internal static class ConfigFile
{
    /// <exception cref="PluginConfigException">The file is missing or cannot be read.</exception>
    public static string ReadText(string key, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PluginConfigException($"{key} '{path}' cannot be read: {e.Message}");
        }
    }

    /// <summary>A password or token kept in a file, without the line end a mounted secret (Docker, Kubernetes) usually has.</summary>
    /// <exception cref="PluginConfigException">The file is missing, unreadable or empty.</exception>
    public static string ReadSecret(string key, string path)
    {
        string secret = ReadText(key, path).TrimEnd('\r', '\n');
        return secret.Length > 0 ? secret : throw new PluginConfigException($"{key} '{path}' is empty");
    }
}
