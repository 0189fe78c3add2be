using System.ComponentModel;
using MessagePack;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// Reads a record value into a property's type from any MessagePack number: integers of every width and
/// floats. A value of another type, or one the target cannot hold (out of range, NaN into an integer), is
/// skipped and reported as false, so the property and its metrics are left untouched.
/// Floats go into integer types truncated toward zero, as a C# cast does.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ValueReader
{
    private const double TwoPow63 = 9223372036854775808.0;
    private const double TwoPow64 = 18446744073709551616.0;

    /// <summary>Any number, as a double.</summary>
    public static bool TryReadDouble(ref MessagePackReader reader, out double value)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer:
                value = reader.NextCode == MessagePackCode.UInt64 ? reader.ReadUInt64() : reader.ReadInt64();
                return true;
            case MessagePackType.Float:
                value = reader.ReadDouble();
                return true;
            default:
                reader.Skip();
                value = 0;
                return false;
        }
    }

    /// <summary>Any number, narrowed to float.</summary>
    public static bool TryReadSingle(ref MessagePackReader reader, out float value)
    {
        bool ok = TryReadDouble(ref reader, out double wide);
        value = (float)wide;
        return ok;
    }

    /// <summary>An integer in range, or a float truncated toward zero.</summary>
    public static bool TryReadInt64(ref MessagePackReader reader, out long value)
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
                double d = reader.ReadDouble();
                bool fits = d >= -TwoPow63 && d < TwoPow63;
                value = fits ? (long)d : 0;
                return fits;
            default:
                reader.Skip();
                value = 0;
                return false;
        }
    }

    /// <summary>A non-negative integer in range, or a float truncated toward zero.</summary>
    public static bool TryReadUInt64(ref MessagePackReader reader, out ulong value)
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
                double d = reader.ReadDouble();
                bool fits = d > -1.0 && d < TwoPow64;
                value = fits ? (ulong)d : 0;
                return fits;
            default:
                reader.Skip();
                value = 0;
                return false;
        }
    }

    /// <summary>A number that fits an int.</summary>
    public static bool TryReadInt32(ref MessagePackReader reader, out int value)
    {
        bool ok = TryReadInt64(ref reader, out long wide) && wide is >= int.MinValue and <= int.MaxValue;
        value = ok ? (int)wide : 0;
        return ok;
    }

    /// <summary>A number that fits a short.</summary>
    public static bool TryReadInt16(ref MessagePackReader reader, out short value)
    {
        bool ok = TryReadInt64(ref reader, out long wide) && wide is >= short.MinValue and <= short.MaxValue;
        value = ok ? (short)wide : (short)0;
        return ok;
    }

    /// <summary>A number that fits an sbyte.</summary>
    public static bool TryReadSByte(ref MessagePackReader reader, out sbyte value)
    {
        bool ok = TryReadInt64(ref reader, out long wide) && wide is >= sbyte.MinValue and <= sbyte.MaxValue;
        value = ok ? (sbyte)wide : (sbyte)0;
        return ok;
    }

    /// <summary>A number that fits a uint.</summary>
    public static bool TryReadUInt32(ref MessagePackReader reader, out uint value)
    {
        bool ok = TryReadUInt64(ref reader, out ulong wide) && wide <= uint.MaxValue;
        value = ok ? (uint)wide : 0;
        return ok;
    }

    /// <summary>A number that fits a ushort.</summary>
    public static bool TryReadUInt16(ref MessagePackReader reader, out ushort value)
    {
        bool ok = TryReadUInt64(ref reader, out ulong wide) && wide <= ushort.MaxValue;
        value = ok ? (ushort)wide : (ushort)0;
        return ok;
    }

    /// <summary>A number that fits a byte.</summary>
    public static bool TryReadByte(ref MessagePackReader reader, out byte value)
    {
        bool ok = TryReadUInt64(ref reader, out ulong wide) && wide <= byte.MaxValue;
        value = ok ? (byte)wide : (byte)0;
        return ok;
    }

    /// <summary>A boolean from <c>true</c>/<c>false</c>; numbers and other types are not booleans.</summary>
    public static bool TryReadBoolean(ref MessagePackReader reader, out bool value)
    {
        if (reader.NextMessagePackType == MessagePackType.Boolean)
        {
            value = reader.ReadBoolean();
            return true;
        }

        reader.Skip();
        value = false;
        return false;
    }
}
