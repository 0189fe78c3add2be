using System;

namespace FluentBit.Plugins;

/// <summary>
/// The property is not read from the event: the plugin's <c>OnRecord</c> hook sets it (a route normalised
/// from a path, a user-agent family). A string left null counts as missing.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ComputedAttribute : Attribute
{
}
