using System;

namespace FluentBit.Plugins;

/// <summary>
/// On a <see cref="ReadOnlyMemory{T}"/> of bytes property holding an id (a trace id, a span id, a W3C
/// <c>traceparent</c>): the value becomes the exemplar label <c>name</c> of every counter and histogram the record
/// feeds, the link from a metric's series to the request behind one of its values. Exemplars are served in
/// OpenMetrics only; a series keeps a new one at most every <c>ExemplarGate.MinInterval</c>.
/// </summary>
/// <example><code>
/// [Key("trace_id"), Exemplar("trace_id")]
/// public ReadOnlyMemory&lt;byte&gt; TraceId { get; set; }
///
/// [Key("traceparent"), Exemplar("trace_id", TraceParent = TraceParentPart.TraceId), Exemplar("span_id", TraceParent = TraceParentPart.SpanId)]
/// public ReadOnlyMemory&lt;byte&gt; TraceParent { get; set; }
/// </code></example>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class ExemplarAttribute : Attribute
{
    /// <param name="name">The exemplar label the value becomes, such as <c>trace_id</c>.</param>
    public ExemplarAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The exemplar label.</summary>
    public string Name { get; }

    /// <summary>
    /// For a W3C <c>traceparent</c> value (<c>00-&lt;trace id&gt;-&lt;span id&gt;-&lt;flags&gt;</c>): the part that
    /// becomes the label. <see cref="TraceParentPart.None"/> (the default) takes the value as it is.
    /// </summary>
    public TraceParentPart TraceParent { get; set; }
}
