using System;

namespace FluentBit.Plugins;

/// <summary>The property is the chunk's tag (<c>[Tag]</c>), or one of its dot-separated parts (<c>[Tag(1)]</c>; <c>-1</c> is the last).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class TagAttribute : Attribute
{
    /// <summary>The whole tag.</summary>
    public TagAttribute()
    {
    }

    /// <param name="part">The part's index from 0, or from the end with -1 for the last.</param>
    public TagAttribute(int part)
    {
        Part = part;
        HasPart = true;
    }

    /// <summary>The part's index, when <see cref="HasPart"/>.</summary>
    public int Part { get; }

    /// <summary>False for the whole tag.</summary>
    public bool HasPart { get; }
}
