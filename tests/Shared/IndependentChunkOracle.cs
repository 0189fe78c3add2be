using System;
using System.IO;
using MessagePack;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// The fuzz campaigns' judge of whether a chunk is well formed, written so that it shares no code with the
/// runtime's structural check (<c>ChunkStructure</c>, a hand-written byte walker): it reads the chunk with
/// MessagePack-CSharp's <see cref="MessagePackReader"/>, whose own parser throws on a value cut short or a count that
/// cannot fit, and applies Fluent Bit's event rules on top: each event a 2-element array, its header a timestamp or
/// an array starting with one (an EventTime extension of 8 bytes, an integer or a float), the body any value, and
/// the never-used code 0xc1 nowhere. A wrong verdict of the structural check now shows up as a disagreement.
/// </summary>
public static class IndependentChunkOracle
{
    /// <summary>True when a flush must accept the chunk, false when it must refuse it.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> chunk)
    {
        var reader = new MessagePackReader(new ReadOnlyMemory<byte>(chunk.ToArray()));
        try
        {
            while (!reader.End)
            {
                if (reader.NextMessagePackType != MessagePackType.Array || reader.ReadArrayHeader() != 2)
                {
                    return false;
                }

                if (reader.NextMessagePackType == MessagePackType.Array)
                {
                    int elements = reader.ReadArrayHeader();
                    if (elements < 1 || !Timestamp(ref reader))
                    {
                        return false;
                    }

                    for (int i = 1; i < elements; i++)
                    {
                        if (!Value(ref reader))
                        {
                            return false;
                        }
                    }
                }
                else if (!Timestamp(ref reader))
                {
                    return false;
                }

                if (!Value(ref reader))
                {
                    return false;
                }
            }

            return true;
        }
        // A value cut short, or a length or count that cannot fit what is left (the library rejects those before reading).
        catch (Exception e) when (e is EndOfStreamException or MessagePackSerializationException or ArgumentOutOfRangeException or OverflowException)
        {
            return false;
        }
    }

    private static bool Timestamp(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer:
            case MessagePackType.Float:
                reader.Skip();
                return true;
            case MessagePackType.Extension:
                ExtensionHeader header = reader.ReadExtensionFormatHeader();
                if (header.TypeCode != 0 || header.Length != 8)
                {
                    return false;
                }

                reader.ReadRaw(8);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Walks one value whole, nested values included, with a count of the values still to read rather than recursion,
    /// so any depth is judged; false on 0xc1 anywhere in it.
    /// </summary>
    private static bool Value(ref MessagePackReader reader)
    {
        long pending = 1;
        while (pending > 0)
        {
            switch (reader.NextMessagePackType)
            {
                case MessagePackType.Unknown:
                    return false;
                case MessagePackType.Array:
                    pending += reader.ReadArrayHeader();
                    break;
                case MessagePackType.Map:
                    pending += 2L * reader.ReadMapHeader();
                    break;
                default:
                    reader.Skip();
                    break;
            }

            pending--;
        }

        return true;
    }
}
