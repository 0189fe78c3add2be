namespace FluentBit.Plugins;

/// <summary>Defaults the generator and the runtime must agree on; compiled into both.</summary>
internal static class PluginDefaults
{
    /// <summary>The <c>http_port</c> of a plugin that declares no <c>DefaultHttpPort</c>: Fluent Bit's own prometheus_exporter port.</summary>
    public const int HttpPort = 2021;
}
