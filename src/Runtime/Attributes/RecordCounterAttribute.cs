using System;

namespace FluentBit.Plugins;

/// <summary>A counter incremented once for every record (that the <c>OnRecord</c> hook, if any, keeps).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RecordCounterAttribute : MetricAttribute
{
    /// <param name="name">The metric name, ending in <c>_total</c>.</param>
    /// <param name="help">The HELP text.</param>
    public RecordCounterAttribute(string name, string help = "")
        : base(name, help)
    {
    }
}
