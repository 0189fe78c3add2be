using System;

namespace FluentBit.Plugins.Generator.Model;

/// <summary>A record property and where its value comes from.</summary>
/// <param name="Path">For body and metadata fields: the keys (and array indexes) leading to the value.</param>
/// <param name="SourceText">What the user wrote: the key, the record accessor or the tag part, for comments.</param>
/// <param name="TypeName">The property's type as C# source (fully qualified for enums).</param>
/// <param name="EnumMembers">For enum properties: the member names, which are also the label values.</param>
/// <param name="Used">Whether an update reads it, so its presence must be tracked.</param>
internal sealed record FieldModel(
    string PropertyName,
    FieldSource Source,
    string SourceText,
    EquatableArray<PathSegment> Path,
    int TagPart,
    FieldType Type,
    string TypeName,
    EquatableArray<string> EnumMembers,
    bool Used)
{
    /// <summary>A string read from the event and used as a label: whether invalid UTF-8 was replaced in it, so it is counted.</summary>
    public bool NeedsReplacedFlag => Used && Type == FieldType.String && Source is FieldSource.Body or FieldSource.Metadata;
}

/// <summary>One step of a record accessor: a map key, or an array index when <see cref="Key"/> is null.</summary>
internal sealed record PathSegment(string? Key, int Index);

/// <summary>Where a property's value comes from.</summary>
internal enum FieldSource
{
    Body,
    Metadata,
    Tag,
    TagPart,
    EventTime,
    EventDelay,
    Computed,

    /// <summary>A span's kind, as the flush reads it for every span (a label value such as <c>SPAN_KIND_SERVER</c>).</summary>
    SpanKind,

    /// <summary>A span's status code (<c>STATUS_CODE_ERROR</c> ...).</summary>
    SpanStatusCode,

    /// <summary>The name of the span's instrumentation scope.</summary>
    ScopeName,

    /// <summary>A span's end minus its start, in seconds.</summary>
    SpanDuration,
}

/// <summary>The property types a record value converts to.</summary>
internal enum FieldType
{
    Double,
    Single,
    Int64,
    Int32,
    Int16,
    SByte,
    UInt64,
    UInt32,
    UInt16,
    Byte,
    Boolean,
    String,
    Utf8,
    Enum,
}

internal static class FieldTypeExtensions
{
    /// <summary>Whether a property of the type can be a metric's value: the numbers, and bool (as 1 or 0).</summary>
    public static bool IsNumeric(this FieldType type) => type switch
    {
        FieldType.Double or FieldType.Single or FieldType.Int64 or FieldType.Int32 or FieldType.Int16 or FieldType.SByte
            or FieldType.UInt64 or FieldType.UInt32 or FieldType.UInt16 or FieldType.Byte or FieldType.Boolean => true,
        FieldType.String or FieldType.Utf8 or FieldType.Enum => false,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
