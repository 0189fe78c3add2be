using System;

namespace FluentBit.Plugins;

/// <summary>
/// The property is one of the attributes of the resource that made the span, by its key: <c>"service.name"</c>,
/// <c>"deployment.environment.name"</c>, <c>"k8s.namespace.name"</c>. See <see cref="SpanFieldAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ResourceAttributeAttribute : Attribute
{
    /// <param name="key">The attribute's key, exactly as the resource carries it.</param>
    public ResourceAttributeAttribute(string key) => Key = key;

    /// <summary>The attribute's key.</summary>
    public string Key { get; }
}
