using System;

namespace FluentBit.Plugins;

/// <summary>The property (a <c>double</c>) is the event's timestamp in seconds since the Unix epoch.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class EventTimeAttribute : Attribute
{
}
