using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using MessagePack;

namespace FluentBit.Plugins.TestKit;

/// <summary>
/// Packs C# values and JSON as Fluent Bit packs records: integers in their smallest width, str (not bin) for
/// strings, float64 for floating point, maps with string keys in the order given.
/// </summary>
internal static class MessagePackBody
{
    public static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNil();
                return;
            case MessagePackValue.MapValue map:
                writer.WriteMapHeader(map.Entries.Length);
                foreach ((object? key, object? item) in map.Entries)
                {
                    Write(ref writer, key);
                    Write(ref writer, item);
                }

                return;
            case MessagePackValue.StrValue str:
                writer.WriteStringHeader(str.Bytes.Length);
                writer.WriteRaw(str.Bytes);
                return;
            case MessagePackValue.RawValue raw:
                writer.WriteRaw(raw.Bytes);
                return;
            case string s:
                writer.Write(s);
                return;
            case bool b:
                writer.Write(b);
                return;
            case sbyte or short or int or long:
                writer.Write(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case byte or ushort or uint or ulong:
                writer.Write(Convert.ToUInt64(value, CultureInfo.InvariantCulture));
                return;
            case float f:
                writer.Write(f);
                return;
            case double d:
                writer.Write(d);
                return;
            case decimal m:
                writer.Write((double)m);
                return;
            case Enum e:
                writer.Write(e.ToString());
                return;
            case byte[] bytes:
                writer.Write(bytes);
                return;
            case ReadOnlyMemory<byte> memory:
                writer.Write(memory.Span);
                return;
            case JsonElement json:
                WriteJson(ref writer, json);
                return;
            case JsonDocument document:
                WriteJson(ref writer, document.RootElement);
                return;
            case IDictionary dictionary:
                writer.WriteMapHeader(dictionary.Count);
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.Write(Key(entry.Key));
                    Write(ref writer, entry.Value);
                }

                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                WritePairs(ref writer, [.. pairs]);
                return;
            case IEnumerable sequence:
                var items = new List<object?>();
                foreach (object? item in sequence)
                {
                    items.Add(item);
                }

                writer.WriteArrayHeader(items.Count);
                foreach (object? item in items)
                {
                    Write(ref writer, item);
                }

                return;
            case DateTime or DateTimeOffset or TimeSpan or Guid:
                throw new NotSupportedException(
                    $"A {value.GetType().Name} has no MessagePack form in a Fluent Bit record; pass the string or number the record would hold");
            default:
                WriteProperties(ref writer, value);
                return;
        }
    }

    /// <summary>One JSON value, as flb-host's --jsonl and Fluent Bit's JSON parser pack it.</summary>
    public static void WriteJson(ref MessagePackWriter writer, JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                int count = 0;
                foreach (JsonProperty _ in json.EnumerateObject())
                {
                    count++;
                }

                writer.WriteMapHeader(count);
                foreach (JsonProperty property in json.EnumerateObject())
                {
                    writer.Write(property.Name);
                    WriteJson(ref writer, property.Value);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(json.GetArrayLength());
                foreach (JsonElement item in json.EnumerateArray())
                {
                    WriteJson(ref writer, item);
                }

                break;
            case JsonValueKind.String:
                writer.Write(json.GetString());
                break;
            case JsonValueKind.Number:
                WriteJsonNumber(ref writer, json);
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    /// <summary>Integers in the smallest width (beyond 64 bits: float64); a fraction or an exponent makes a float64.</summary>
    private static void WriteJsonNumber(ref MessagePackWriter writer, JsonElement number)
    {
        string raw = number.GetRawText();
        bool integral = raw.IndexOfAny(['.', 'e', 'E']) < 0;
        if (integral && number.TryGetInt64(out long signed))
        {
            writer.Write(signed);
        }
        else if (integral && number.TryGetUInt64(out ulong unsigned))
        {
            writer.Write(unsigned);
        }
        else
        {
            writer.Write(number.GetDouble());
        }
    }

    private static void WriteProperties(ref MessagePackWriter writer, object value)
    {
        var pairs = new List<KeyValuePair<string, object?>>();
        foreach (PropertyInfo property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanRead && property.GetIndexParameters().Length == 0)
            {
                pairs.Add(new KeyValuePair<string, object?>(property.Name, property.GetValue(value)));
            }
        }

        WritePairs(ref writer, pairs);
    }

    private static void WritePairs(ref MessagePackWriter writer, List<KeyValuePair<string, object?>> pairs)
    {
        writer.WriteMapHeader(pairs.Count);
        foreach (KeyValuePair<string, object?> pair in pairs)
        {
            writer.Write(pair.Key);
            Write(ref writer, pair.Value);
        }
    }

    private static string Key(object key) => key as string
        ?? Convert.ToString(key, CultureInfo.InvariantCulture)
        ?? throw new ArgumentException("A record's map keys must be strings");
}
