using System;
using System.ComponentModel;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Unicode;
using FluentBit.Plugins.Decoding;
using MessagePack;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// Reads a record value into a property's type from any MessagePack number, or from a string holding one
/// (a regex parser yields <c>"200"</c> and <c>"0.042"</c>), parsed in the invariant culture straight from its
/// UTF-8 bytes: surrounding white space, a sign, a decimal point and an exponent are accepted, thousands
/// separators are not. A value of another type, or one the target cannot hold (out of range, NaN into an
/// integer), is skipped and reported as false, so the property and its metrics are left untouched.
/// Floats (and decimal strings) go into integer types truncated toward zero, as a C# cast does; an integer
/// string goes into an integer type exactly.
/// Every method consumes the value, whether or not it returns true.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ValueReader
{
    /// <summary>Any number (or a string holding one), as a double.</summary>
    public static bool TryReadDouble(ref ChunkReader reader, out double value)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer:
                value = reader.NextCode == MessagePackCode.UInt64 ? reader.ReadUInt64() : reader.ReadInt64();
                return true;
            case MessagePackType.Float:
                value = reader.ReadDouble();
                return true;
            case MessagePackType.String:
                value = 0;
                return reader.TryReadStringSpan(out ReadOnlySpan<byte> text) && ParseDouble(text, out value);
            default:
                reader.Skip();
                value = 0;
                return false;
        }
    }

    /// <summary>Any number, narrowed to float.</summary>
    public static bool TryReadSingle(ref ChunkReader reader, out float value)
    {
        bool ok = TryReadDouble(ref reader, out double wide);
        value = (float)wide;
        return ok;
    }

    /// <summary>An integer in range, or a float truncated toward zero.</summary>
    public static bool TryReadInt64(ref ChunkReader reader, out long value)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                ulong big = reader.ReadUInt64();
                value = (long)big;
                return big <= long.MaxValue;
            case MessagePackType.Integer:
                value = reader.ReadInt64();
                return true;
            case MessagePackType.Float:
                return Truncate(reader.ReadDouble(), out value);
            case MessagePackType.String:
                return TryParseInteger(ref reader, out value);
            default:
                reader.Skip();
                value = 0;
                return false;
        }
    }

    /// <summary>A non-negative integer in range, or a float truncated toward zero.</summary>
    public static bool TryReadUInt64(ref ChunkReader reader, out ulong value)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                value = reader.ReadUInt64();
                return true;
            case MessagePackType.Integer:
                long signed = reader.ReadInt64();
                value = (ulong)signed;
                return signed >= 0;
            case MessagePackType.Float:
                return Truncate(reader.ReadDouble(), out value);
            case MessagePackType.String:
                return TryParseInteger(ref reader, out value);
            default:
                reader.Skip();
                value = 0;
                return false;
        }
    }

    /// <summary>A number that fits an int.</summary>
    public static bool TryReadInt32(ref ChunkReader reader, out int value)
    {
        bool ok = TryReadInt64(ref reader, out long wide) && wide is >= int.MinValue and <= int.MaxValue;
        value = ok ? (int)wide : 0;
        return ok;
    }

    /// <summary>A number that fits a short.</summary>
    public static bool TryReadInt16(ref ChunkReader reader, out short value)
    {
        bool ok = TryReadInt64(ref reader, out long wide) && wide is >= short.MinValue and <= short.MaxValue;
        value = ok ? (short)wide : (short)0;
        return ok;
    }

    /// <summary>A number that fits an sbyte.</summary>
    public static bool TryReadSByte(ref ChunkReader reader, out sbyte value)
    {
        bool ok = TryReadInt64(ref reader, out long wide) && wide is >= sbyte.MinValue and <= sbyte.MaxValue;
        value = ok ? (sbyte)wide : (sbyte)0;
        return ok;
    }

    /// <summary>A number that fits a uint.</summary>
    public static bool TryReadUInt32(ref ChunkReader reader, out uint value)
    {
        bool ok = TryReadUInt64(ref reader, out ulong wide) && wide <= uint.MaxValue;
        value = ok ? (uint)wide : 0;
        return ok;
    }

    /// <summary>A number that fits a ushort.</summary>
    public static bool TryReadUInt16(ref ChunkReader reader, out ushort value)
    {
        bool ok = TryReadUInt64(ref reader, out ulong wide) && wide <= ushort.MaxValue;
        value = ok ? (ushort)wide : (ushort)0;
        return ok;
    }

    /// <summary>A number that fits a byte.</summary>
    public static bool TryReadByte(ref ChunkReader reader, out byte value)
    {
        bool ok = TryReadUInt64(ref reader, out ulong wide) && wide <= byte.MaxValue;
        value = ok ? (byte)wide : (byte)0;
        return ok;
    }

    /// <summary>
    /// A boolean from <c>true</c>/<c>false</c>, or from a string holding <c>true</c> or <c>false</c> in any
    /// case (surrounding white space ignored); numbers and other types are not booleans.
    /// </summary>
    public static bool TryReadBoolean(ref ChunkReader reader, out bool value)
    {
        value = false;
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Boolean:
                value = reader.ReadBoolean();
                return true;
            case MessagePackType.String:
                if (!reader.TryReadStringSpan(out ReadOnlySpan<byte> text))
                {
                    return false;
                }

                text = text[Ascii.Trim(text)];
                value = Ascii.EqualsIgnoreCase(text, "true"u8);
                return value || Ascii.EqualsIgnoreCase(text, "false"u8);
            default:
                reader.Skip();
                return false;
        }
    }

    /// <summary>
    /// A string value, interned through <paramref name="cache"/> so a value seen before allocates nothing.
    /// Numbers and booleans give their invariant text (the json parser gives <c>"status":200</c> as an
    /// integer): integers in decimal, floats in shortest round-trip form (<c>0.042</c>, <c>1E+21</c>,
    /// <c>NaN</c>, <c>+Inf</c>), booleans <c>true</c>/<c>false</c>. Nil, maps, arrays, binary and extensions
    /// are not strings. Bytes that are not valid UTF-8 are replaced with U+FFFD.
    /// </summary>
    public static bool TryReadString(ref ChunkReader reader, StringCache cache, out string? value) =>
        TryReadString(ref reader, cache, out value, out _);

    /// <summary>Reads a string through <paramref name="cache"/>, as the overload without <paramref name="replaced"/> does.</summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="cache">The field's string cache.</param>
    /// <param name="value">The string, or null when the value is not a string, number or boolean.</param>
    /// <param name="replaced">Whether the string was not valid UTF-8 and had bad sequences replaced, to be counted
    /// (<see cref="MetricHealth.ReplacedLabels"/>) where the value becomes a label.</param>
    public static bool TryReadString(ref ChunkReader reader, StringCache cache, out string? value, out bool replaced)
    {
        replaced = false;
        value = null;
        Span<byte> number = stackalloc byte[32];
        int length;
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.String:
                if (!reader.TryReadStringSpan(out ReadOnlySpan<byte> text))
                {
                    return false;
                }

                replaced = !Utf8.IsValid(text);
                value = cache.Get(text);
                return true;
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                reader.ReadUInt64().TryFormat(number, out length, default, CultureInfo.InvariantCulture);
                break;
            case MessagePackType.Integer:
                reader.ReadInt64().TryFormat(number, out length, default, CultureInfo.InvariantCulture);
                break;
            case MessagePackType.Float when reader.NextCode == MessagePackCode.Float32:
                length = SeriesKey.FormatSingle((float)reader.ReadDouble(), number);
                break;
            case MessagePackType.Float:
                length = SeriesKey.FormatDouble(reader.ReadDouble(), number);
                break;
            case MessagePackType.Boolean:
                value = reader.ReadBoolean() ? "true" : "false";
                return true;
            default:
                reader.Skip();
                return false;
        }

        value = cache.Get(number[..length]);
        return true;
    }

    /// <summary>
    /// A string value's UTF-8 bytes straight from the chunk, without copying or checking them: valid only
    /// until the flush returns, so never keep it. Values other than strings give false.
    /// </summary>
    public static bool TryReadUtf8(ref ChunkReader reader, out ReadOnlyMemory<byte> value)
    {
        if (reader.TryReadStringMemory(out value))
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    private static bool ParseDouble(ReadOnlySpan<byte> text, out double value) =>
        TryParseShortDecimal(text, out value) || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// The numbers a regex parser yields nearly always (<c>0.042</c>, <c>200</c>, <c>-3.5</c>): an optional minus, up to
    /// 15 digits in all, and an optional point with digits on both sides; false for anything else, which
    /// <c>double.TryParse</c> then reads. The result is exactly <c>double.Parse</c>'s: the digits form an integer
    /// below 2^53 and the divisor a power of ten up to 10^15, both exact in a double, and IEEE division rounds their
    /// quotient correctly (Clinger's fast path). Written by hand because the general parser costs about half of
    /// decoding an all-strings access-log record.
    /// </summary>
    internal static bool TryParseShortDecimal(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative)
        {
            i++;
        }

        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit <= 9)
            {
                mantissa = (mantissa * 10) + digit;
                digits++;
                fraction += fraction >= 0 ? 1 : 0;
            }
            else if (text[i] == (byte)'.' && fraction < 0 && digits > 0)
            {
                fraction = 0;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || digits > 15 || fraction == 0)
        {
            return false;
        }

        double magnitude = fraction > 0 ? mantissa / PowersOfTen[fraction] : mantissa;
        value = negative ? -magnitude : magnitude;
        return true;
    }

    private static readonly double[] PowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// An integer string exactly, else a decimal string (with a point or an exponent) truncated toward zero, within
    /// <typeparamref name="T"/>'s range. An integer string beyond the range is invalid, not rounded through a double
    /// (<c>"-9223372036854775809"</c> would round to <c>long.MinValue</c>).
    /// </summary>
    private static bool TryParseInteger<T>(ref ChunkReader reader, out T value)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        value = T.Zero;
        return reader.TryReadStringSpan(out ReadOnlySpan<byte> text)
            && (TryParseShortInteger(text, out value)
                || T.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value)
                || (text.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0 && ParseDouble(text, out double d) && Truncate(d, out value)));
    }

    /// <summary>
    /// What a regex parser yields for an integer nearly always (<c>200</c>, <c>-3</c>): an optional minus and 1 to 18
    /// digits, within <typeparamref name="T"/>'s range; false for anything else (a sign on an unsigned type, spaces,
    /// more digits), which <c>T.TryParse</c> then reads with the same result. Written by hand because the general
    /// parser, with its styles and culture, costs several times this loop on an all-strings access-log record.
    /// </summary>
    internal static bool TryParseShortInteger<T>(ReadOnlySpan<byte> text, out T value)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        value = T.Zero;
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        int start = negative ? 1 : 0;
        if (text.Length - start is 0 or > 18 || (negative && T.IsZero(T.MinValue)))
        {
            return false;
        }

        long magnitude = 0;
        for (int i = start; i < text.Length; i++)
        {
            uint digit = (uint)(text[i] - '0');
            if (digit > 9)
            {
                return false;
            }

            magnitude = (magnitude * 10) + digit;
        }

        // 18 digits stay below 2^63, so the sign and the range check are exact.
        long signed = negative ? -magnitude : magnitude;
        if (signed < long.CreateSaturating(T.MinValue) || signed > long.CreateSaturating(T.MaxValue))
        {
            return false;
        }

        value = T.CreateTruncating(signed);
        return true;
    }

    /// <summary>Truncates toward zero, as a C# cast does, if the result fits in <typeparamref name="T"/>; NaN and infinities never fit.</summary>
    private static bool Truncate<T>(double d, out T value)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        double whole = Math.Truncate(d);

        // The bounds are powers of two (-2^63, 2^63, 2^64), which doubles hold exactly: MaxValue + 1 rounds to them.
        bool fits = whole >= double.CreateTruncating(T.MinValue) && whole < double.CreateTruncating(T.MaxValue) + 1;
        value = fits ? T.CreateTruncating(whole) : T.Zero;
        return fits;
    }
}
