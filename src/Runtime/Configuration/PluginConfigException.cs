using System;

namespace FluentBit.Plugins.Configuration;

/// <summary>A configuration key that is unknown or has a bad value; the message names the key and what it accepts.</summary>
internal sealed class PluginConfigException : Exception
{
    public PluginConfigException(string message)
        : base(message)
    {
    }
}
