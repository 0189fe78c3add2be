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
    bool Used);

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
