using System.Linq;
using FluentBit.Plugins.Generator.Model;
using static FluentBit.Plugins.Generator.Emitting.KnownTypeNames;

namespace FluentBit.Plugins.Generator.Emitting;

/// <summary>Writes the per-field helpers <c>ApplyRecord</c> uses: string caches and enum names as UTF-8.</summary>
internal sealed partial class Emitter
{
    /// <summary>The nested type holding per-field helpers (string caches, enum parsers), clear of the user's member names.</summary>
    private const string FieldHelpers = "RecordFieldHelpers";

    /// <summary>The cache of a string field's values.</summary>
    private static string Strings(FieldModel field) => $"{FieldHelpers}.{field.PropertyName}Strings";

    private void WriteFieldHelpers(SourceWriter w)
    {
        FieldModel[] strings = _plugin.Fields.Where(f => f.Type == FieldType.String).ToArray();
        FieldModel[] enums = _plugin.Fields.Where(f => f.Type == FieldType.Enum).ToArray();
        if (strings.Length == 0 && enums.Length == 0)
        {
            return;
        }

        w.Line();
        w.Line("/// <summary>Per-field helpers: string caches, so a repeated value allocates nothing, and enum names as UTF-8.</summary>");
        w.Line(GeneratedCode);
        w.Open($"private static class {FieldHelpers}");
        foreach (FieldModel field in strings)
        {
            w.Line($"public static readonly {StringCache} {field.PropertyName}Strings = new();");
            w.Line();
        }

        foreach (FieldModel field in enums)
        {
            w.Open($"public static bool TryParse{field.PropertyName}({ReadOnlySpan}<byte> text, out {field.TypeName} value)");
            foreach (string member in field.EnumMembers)
            {
                w.Open($"if ({Ascii}.EqualsIgnoreCase(text, {SourceWriter.Literal(member)}u8))");
                w.Line($"value = {field.TypeName}.{Identifier(member)};");
                w.Line("return true;");
                w.Close();
                w.Line();
            }

            w.Line("value = default;");
            w.Line("return false;");
            w.Close();
            w.Line();
            w.Line($"public static {ReadOnlySpan}<byte> {field.PropertyName}Label({field.TypeName} value) => value switch");
            w.Open();
            foreach (string member in field.EnumMembers)
            {
                w.Line($"{field.TypeName}.{Identifier(member)} => {SourceWriter.Literal(member)}u8,");
            }

            w.Line("_ => default,");
            w.Close(";");
            w.Line();
        }

        w.Close();
    }
}
