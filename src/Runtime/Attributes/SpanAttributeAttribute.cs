using System;

namespace FluentBit.Plugins;

/// <summary>
/// The property is one of the span's attributes, by its key (<c>"http.route"</c>, <c>"http.response.status_code"</c>;
/// dots are part of the key). See <see cref="SpanFieldAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class SpanAttributeAttribute : Attribute
{
    /// <param name="key">The attribute's key, exactly as the span carries it.</param>
    public SpanAttributeAttribute(string key) => Key = key;

    /// <summary>The attribute's key.</summary>
    public string Key { get; }
}
