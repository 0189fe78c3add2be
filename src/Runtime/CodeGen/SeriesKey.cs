using System;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace FluentBit.Plugins.CodeGen;

/// <summary>
/// The identity of one series: a record's label values, in the metric's label order, encoded into a caller
/// buffer without allocating so an existing series is found from bytes alone
/// (<c>var key = new SeriesKey(stackalloc byte[256]);</c>). Each value is written as its UTF-8 text behind a
/// length, so <c>("a", "bc")</c> and <c>("ab", "c")</c> differ.
/// </summary>
/// <remarks>
/// <para>
/// When the buffer is too small the key moves to an array kept per thread, which is allocated only when it
/// must grow. One key per thread may use that array at a time: build a key and look its series up before
/// building the next (a key that finds its bytes taken over by another throws rather than read them).
/// </para>
/// <para>
/// Numbers are written in the invariant culture, in their shortest round-trip form (<c>0.042</c>,
/// <c>1E+21</c>, <c>-5</c>); <c>-0</c> is written <c>0</c>; NaN and the infinities as Prometheus writes
/// them: <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>. Booleans are <c>true</c> and <c>false</c>.
/// Bytes that are not valid UTF-8 (and strings with lone surrogates) are stored with U+FFFD in place of
/// each bad sequence, so one series never has two keys, and counted in <see cref="ReplacedValues"/>.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct SeriesKey
{
    // Longest invariant text of a double ("-1.7976931348623157E+308" is 24), a long or a ulong.
    private const int MaxNumberLength = 32;

    [ThreadStatic]
    private static byte[]? t_spill;

    [ThreadStatic]
    private static int t_spillClaims;

    private Span<byte> _buffer;
    private int _length;
    private int _count;
    private int _replaced;
    private int _longest;
    private int _claim;

    /// <param name="buffer">Where the key is built; 256 bytes on the stack suit flushes, which run on small coroutine stacks.</param>
    public SeriesKey(Span<byte> buffer)
    {
        _buffer = buffer;
    }

    /// <summary>The number of values added.</summary>
    public readonly int Count => _count;

    /// <summary>How many of the values added were not valid UTF-8 and had bad sequences replaced with U+FFFD.</summary>
    public readonly int ReplacedValues => _replaced;

    /// <summary>The length in UTF-8 bytes of the longest value added.</summary>
    internal readonly int LongestValue => _longest;

    /// <summary>Whether any value added was not valid UTF-8 (see <see cref="ReplacedValues"/>).</summary>
    public readonly bool HasInvalidUtf8 => _replaced > 0;

    /// <summary>The encoded key; valid until the next value is added.</summary>
    public readonly ReadOnlySpan<byte> Bytes
    {
        get
        {
            CheckClaim();
            return _buffer[.._length];
        }
    }

    /// <summary>Adds a value given as UTF-8 (straight from the chunk); invalid sequences are replaced and counted.</summary>
    public void Add(scoped ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            WriteLength(utf8.Length);
            utf8.CopyTo(Reserve(utf8.Length));
            Commit(utf8.Length);
            return;
        }

        _replaced++;
        WriteLength(ReplacedLength(utf8));
        Span<byte> destination = Reserve(ReplacedLength(utf8));
        int written = 0;
        while (!utf8.IsEmpty)
        {
            int consumed = DecodeOne(utf8, out bool valid);
            ReadOnlySpan<byte> piece = valid ? utf8[..consumed] : Replacement;
            piece.CopyTo(destination[written..]);
            written += piece.Length;
            utf8 = utf8[consumed..];
        }

        Commit(written);
    }

    /// <summary>Adds a string value; null is added as the empty string (check for null first to count a missing label).</summary>
    public void Add(string? value)
    {
        ReadOnlySpan<char> chars = value;

        // Label values are nearly always ASCII: one vectorised narrowing pass, written after room for the longest
        // length prefix (5 bytes) so that writing the prefix afterwards cannot move the key to the spill array.
        Span<byte> ascii = Reserve(5 + chars.Length);
        int prefix = LengthPrefixSize(chars.Length);
        if (System.Text.Ascii.FromUtf16(chars, ascii.Slice(prefix, chars.Length), out _) == System.Buffers.OperationStatus.Done)
        {
            WriteLength(chars.Length);
            Commit(chars.Length);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(chars);
        WriteLength(length);
        Span<byte> destination = Reserve(length);
        if (Utf8.FromUtf16(chars, destination, out _, out _, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            _replaced++;
            Utf8.FromUtf16(chars, destination, out _, out _, replaceInvalidSequences: true);
        }

        Commit(length);
    }

    /// <summary>Adds an integer as its invariant decimal text.</summary>
    public void Add(long value)
    {
        Span<byte> destination = Reserve(1 + MaxNumberLength);
        value.TryFormat(destination[1..], out int written, default, CultureInfo.InvariantCulture);
        CommitNumber(destination, written);
    }

    /// <summary>Adds an unsigned integer as its invariant decimal text.</summary>
    public void Add(ulong value)
    {
        Span<byte> destination = Reserve(1 + MaxNumberLength);
        value.TryFormat(destination[1..], out int written, default, CultureInfo.InvariantCulture);
        CommitNumber(destination, written);
    }

    /// <summary>Adds a number as its shortest round-trip invariant text (<c>0.042</c>, <c>1E+21</c>, <c>NaN</c>, <c>+Inf</c>).</summary>
    public void Add(double value)
    {
        Span<byte> destination = Reserve(1 + MaxNumberLength);
        CommitNumber(destination, FormatDouble(value, destination[1..]));
    }

    /// <summary>Adds a single-precision number as its shortest round-trip text as a float (<c>0.1</c>, not <c>0.10000000149011612</c>).</summary>
    public void Add(float value)
    {
        Span<byte> destination = Reserve(1 + MaxNumberLength);
        CommitNumber(destination, FormatSingle(value, destination[1..]));
    }

    /// <summary>Adds <c>true</c> or <c>false</c>.</summary>
    public void Add(bool value)
    {
        ReadOnlySpan<byte> text = value ? "true"u8 : "false"u8;
        WriteLength(text.Length);
        text.CopyTo(Reserve(text.Length));
        Commit(text.Length);
    }

    /// <summary>The label values, decoded (allocates: call it only to create a series).</summary>
    public readonly string[] ToLabelValues()
    {
        ReadOnlySpan<byte> bytes = Bytes;
        var values = new string[_count];
        for (int i = 0; i < values.Length; i++)
        {
            int length = ReadLength(ref bytes);
            values[i] = Encoding.UTF8.GetString(bytes[..length]);
            bytes = bytes[length..];
        }

        return values;
    }

    /// <summary>Writes <paramref name="value"/> in the invariant shortest round-trip form <see cref="Add(double)"/> uses.</summary>
    /// <returns>The number of bytes written; <paramref name="destination"/> needs 32.</returns>
    internal static int FormatDouble(double value, Span<byte> destination)
    {
        if (double.IsFinite(value))
        {
            // -0 reads as 0 everywhere else; one number, one series.
            (value == 0 ? 0.0 : value).TryFormat(destination, out int written, default, CultureInfo.InvariantCulture);
            return written;
        }

        return CopySpecial(double.IsNaN(value) ? "NaN"u8 : value > 0 ? "+Inf"u8 : "-Inf"u8, destination);
    }

    /// <inheritdoc cref="FormatDouble"/>
    internal static int FormatSingle(float value, Span<byte> destination)
    {
        if (float.IsFinite(value))
        {
            (value == 0 ? 0f : value).TryFormat(destination, out int written, default, CultureInfo.InvariantCulture);
            return written;
        }

        return FormatDouble(value, destination);
    }

    private static ReadOnlySpan<byte> Replacement => "\uFFFD"u8;

    private static int CopySpecial(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        text.CopyTo(destination);
        return text.Length;
    }

    private static int ReplacedLength(ReadOnlySpan<byte> utf8)
    {
        int length = 0;
        while (!utf8.IsEmpty)
        {
            int consumed = DecodeOne(utf8, out bool valid);
            length += valid ? consumed : Replacement.Length;
            utf8 = utf8[consumed..];
        }

        return length;
    }

    // One scalar, or one maximal invalid subsequence (what Encoding.UTF8 replaces with one U+FFFD).
    private static int DecodeOne(ReadOnlySpan<byte> utf8, out bool valid)
    {
        valid = System.Text.Rune.DecodeFromUtf8(utf8, out _, out int consumed) == System.Buffers.OperationStatus.Done;
        return consumed;
    }

    private static int ReadLength(ref ReadOnlySpan<byte> bytes)
    {
        int length = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[0];
            bytes = bytes[1..];
            length |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return length;
            }
        }
    }

    private static int LengthPrefixSize(int length)
    {
        int size = 1;
        while (length >= 0x80)
        {
            size++;
            length >>= 7;
        }

        return size;
    }

    private void WriteLength(int length)
    {
        _longest = Math.Max(_longest, length);
        Span<byte> destination = Reserve(5);
        int i = 0;
        while (length >= 0x80)
        {
            destination[i++] = (byte)(length | 0x80);
            length >>= 7;
        }

        destination[i++] = (byte)length;
        _length += i;
    }

    private void CommitNumber(Span<byte> destination, int written)
    {
        _longest = Math.Max(_longest, written);
        destination[0] = (byte)written;
        _length += 1 + written;
        _count++;
    }

    private void Commit(int written)
    {
        _length += written;
        _count++;
    }

    /// <summary>Room for <paramref name="size"/> more bytes after the key, without moving the key's end.</summary>
    private Span<byte> Reserve(int size)
    {
        CheckClaim();
        if (_buffer.Length - _length < size)
        {
            Spill(_length + size);
        }

        return _buffer.Slice(_length, size);
    }

    private void Spill(int needed)
    {
        byte[]? spill = t_spill;
        if (spill is null || spill.Length < needed)
        {
            var grown = new byte[Math.Max(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)needed), 1024)];
            _buffer[.._length].CopyTo(grown);
            t_spill = spill = grown;
        }
        else if (_claim == 0)
        {
            _buffer[.._length].CopyTo(spill);
        }

        _buffer = spill;
        if (_claim == 0)
        {
            _claim = ++t_spillClaims;
        }
    }

    private readonly void CheckClaim()
    {
        if (_claim != 0 && _claim != t_spillClaims)
        {
            throw new InvalidOperationException("two SeriesKeys outgrew their buffers on one thread at once; look one key's series up before building the next");
        }
    }
}
