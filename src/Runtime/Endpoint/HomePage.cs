using System.Net;
using System.Text;

namespace FluentBit.Plugins.Endpoint;

/// <summary>The short page at <c>/</c>: what is serving, and links to its endpoints (relative, so they work behind a path prefix).</summary>
internal static class HomePage
{
    public const string ContentType = "text/html; charset=utf-8";

    public static byte[] Render(string pluginName, string description)
    {
        string name = WebUtility.HtmlEncode(pluginName);
        return Encoding.UTF8.GetBytes(
            $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{name}</title></head>
            <body>
            <h1>{name}</h1>
            <p>{WebUtility.HtmlEncode(description)}: a Fluent Bit output plugin.</p>
            <ul>
            <li><a href="metrics">metrics</a> (Prometheus text 0.0.4, or OpenMetrics 1.0 on request)</li>
            <li><a href="-/healthy">-/healthy</a></li>
            </ul>
            </body>
            </html>

            """);
    }
}
