using System;
using System.Text;

namespace FluentBit.Plugins.Exposition;

/// <summary>The request line and the one header the endpoint cares about, parsed from an HTTP/1.x request head.</summary>
internal readonly record struct HttpRequestHead(string Method, string Path, bool KeepAlive)
{
    /// <summary>Parses the bytes before the blank line; false for anything that is not an HTTP/1.x request.</summary>
    public static bool TryParse(ReadOnlySpan<byte> head, out HttpRequestHead request)
    {
        request = default;
        string text = Encoding.ASCII.GetString(head);
        string[] lines = text.Split("\r\n");
        string[] parts = lines[0].Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return false;
        }

        bool keepAlive = parts[2] != "HTTP/1.0";
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':');
            if (colon > 0 && lines[i].AsSpan(0, colon).Trim().Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                string value = lines[i][(colon + 1)..].Trim();
                keepAlive = value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                    || (keepAlive && !value.Equals("close", StringComparison.OrdinalIgnoreCase));
            }
        }

        string path = parts[1];
        int query = path.IndexOf('?');
        request = new HttpRequestHead(parts[0], query >= 0 ? path[..query] : path, keepAlive);
        return true;
    }
}
