using System;

namespace FluentBit.Plugins.CodeGen;

/// <summary>Reads a W3C Trace Context <c>traceparent</c>: <c>version-traceid-parentid-flags</c>, in lower-case hex.</summary>
internal static class TraceParent
{
    /// <summary>
    /// The trace id (32 hex digits, not all zero) and parent id (16, not all zero) of a <c>traceparent</c>. A version
    /// other than 00 may carry more after the flags (the spec's forward compatibility); version ff is invalid.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> value, out ReadOnlyMemory<byte> traceId, out ReadOnlyMemory<byte> spanId)
    {
        traceId = default;
        spanId = default;
        ReadOnlySpan<byte> text = value.Span;
        if (text.Length < 55 || text[2] != '-' || text[35] != '-' || text[52] != '-'
            || !IsHex(text[..2]) || text[..2].SequenceEqual("ff"u8) || !IsHex(text.Slice(3, 32)) || !IsHex(text.Slice(36, 16)) || !IsHex(text.Slice(53, 2))
            || (text.Length > 55 && (text[..2].SequenceEqual("00"u8) || text[55] != '-'))
            || IsZero(text.Slice(3, 32)) || IsZero(text.Slice(36, 16)))
        {
            return false;
        }

        traceId = value.Slice(3, 32);
        spanId = value.Slice(36, 16);
        return true;
    }

    private static bool IsHex(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsZero(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept((byte)'0') < 0;
}
