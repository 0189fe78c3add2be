using System;

namespace FluentBit.Plugins;

/// <summary>
/// A counter the property's value is added to each time a record has it. Zero adds nothing; negative and
/// non-finite values are skipped and counted: a counter never goes down.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class CounterAttribute : MetricAttribute
{
    /// <param name="name">The metric name, ending in <c>_total</c> (FBP024 warns otherwise).</param>
    /// <param name="help">The HELP text; may be omitted where another declaration of the same metric gives it.</param>
    public CounterAttribute(string name, string help = "")
        : base(name, help)
    {
    }
}
