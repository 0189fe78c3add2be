using System;

namespace FluentBit.Plugins;

/// <summary>
/// The property is a field of an OpenTelemetry span (a trace event Fluent Bit received, such as from its
/// <c>opentelemetry</c> input): its name, kind, status, duration, ids or scope. A record with span fields reads
/// spans, not log events: the plugin registers with Fluent Bit for traces (Fluent Bit 4.2 and later) and every
/// property says which part of the span it is (<see cref="SpanFieldAttribute"/>, <see cref="SpanAttributeAttribute"/>,
/// <see cref="ResourceAttributeAttribute"/> or <c>[Computed]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class SpanFieldAttribute : Attribute
{
    /// <param name="field">Which field of the span the property is.</param>
    public SpanFieldAttribute(SpanField field) => Field = field;

    /// <summary>Which field of the span the property is.</summary>
    public SpanField Field { get; }
}
