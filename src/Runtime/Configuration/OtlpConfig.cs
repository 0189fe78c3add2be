using System;
using System.Collections.Generic;
using System.Linq;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// Where and how an instance pushes its series over OTLP/HTTP: the delivery settings every push target has
/// (<c>otlp_url</c>, interval, timeout, auth, headers, TLS: <see cref="Target"/>), the body's compression and the
/// resource the metrics describe.
/// </summary>
internal sealed class OtlpConfig
{
    private const string ServiceName = "service.name";
    private const string HostName = "host.name";

    private OtlpConfig(PushTargetConfig target, bool gzip, KeyValuePair<string, string>[] resourceAttributes)
    {
        Target = target;
        Gzip = gzip;
        ResourceAttributes = resourceAttributes;
    }

    public PushTargetConfig Target { get; }

    /// <summary>Whether bodies are sent gzip-compressed (<c>otlp_compression gzip</c>, the default).</summary>
    public bool Gzip { get; }

    /// <summary>
    /// The resource's attributes, <c>service.name</c> first: OpenTelemetry requires it on every resource, and back ends
    /// key their services by it (it becomes the <c>job</c> label in Prometheus's OTLP receiver).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResourceAttributes { get; }

    /// <returns>Null when <c>otlp_url</c> is unset (then no other <c>otlp_*</c> key may be).</returns>
    /// <param name="properties">The instance's keys.</param>
    /// <param name="pluginName">The default <c>service.name</c>.</param>
    /// <param name="hostName">The default <c>host.name</c>.</param>
    /// <exception cref="PluginConfigException">A value is invalid; the message names the key.</exception>
    public static OtlpConfig? Read(IPropertySource properties, string pluginName, string hostName)
    {
        if (PushTargetConfig.Read(properties, PushKeys.Otlp) is not PushTargetConfig target)
        {
            return null;
        }

        string compression = properties.Get(ConfigKeys.OtlpCompression) ?? ConfigKeys.DefaultOf(ConfigKeys.OtlpCompression);
        bool gzip = compression.Trim().ToLowerInvariant() switch
        {
            "gzip" => true,
            "none" or "off" => false,
            _ => throw new PluginConfigException(
                $"invalid value '{compression}' for {ConfigKeys.OtlpCompression}: expected gzip or none (default {ConfigKeys.DefaultOf(ConfigKeys.OtlpCompression)})"),
        };

        return new OtlpConfig(target, gzip, ResourceOf(properties.Get(ConfigKeys.OtlpResourceAttributes), pluginName, hostName));
    }

    public override string ToString() => $"{Target} over OTLP ({(Gzip ? "gzip" : "uncompressed")}, {ServiceName} {ResourceAttributes[0].Value})";

    private static KeyValuePair<string, string>[] ResourceOf(string? value, string pluginName, string hostName)
    {
        var attributes = new List<KeyValuePair<string, string>> { new(ServiceName, pluginName), new(HostName, hostName) };
        if (value is null)
        {
            return [.. attributes];
        }

        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, string attributeValue) in NameValueList.Split(value, what => InvalidResource(value, what)))
        {
            if (name.Length == 0 || attributeValue.Length == 0)
            {
                throw InvalidResource(value, $"'{name}={attributeValue}' has an empty name or value");
            }

            if (!given.Add(name))
            {
                throw InvalidResource(value, $"the attribute '{name}' is given twice");
            }

            // A given service.name or host.name replaces the default in place, so service.name stays first.
            int index = attributes.FindIndex(a => a.Key == name);
            if (index >= 0 && index < 2)
            {
                attributes[index] = new(name, attributeValue);
            }
            else
            {
                attributes.Add(new(name, attributeValue));
            }
        }

        return [.. attributes];
    }

    private static PluginConfigException InvalidResource(string value, string what) =>
        new($"invalid value '{value}' for {ConfigKeys.OtlpResourceAttributes}: {what}; expected name=value pairs separated by commas, such as service.name=checkout,deployment.environment.name=prod");
}
