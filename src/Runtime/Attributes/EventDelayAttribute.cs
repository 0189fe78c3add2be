using System;

namespace FluentBit.Plugins;

/// <summary>
/// The property (a <c>double</c>) is the seconds from the event's timestamp to the flush that delivers it:
/// how late the log arrives. Observe it with a histogram to see the pipeline's delay.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class EventDelayAttribute : Attribute
{
}
