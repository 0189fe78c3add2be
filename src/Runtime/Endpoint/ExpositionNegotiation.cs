using System;
using System.Collections.Generic;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Prometheus;

namespace FluentBit.Plugins.Endpoint;

/// <summary>What a scraper asked for in <c>Accept</c> and <c>Accept-Encoding</c>.</summary>
internal static class ExpositionNegotiation
{
    public const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    public const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>
    /// OpenMetrics 1.0 when the scraper accepts it at least as much as the text format (Prometheus asks for it
    /// first); the text format otherwise, including for anything unparsable: it is what every scraper reads.
    /// </summary>
    public static ExpositionFormat ChooseFormat(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out IList<MediaTypeHeaderValue>? ranges))
        {
            return ExpositionFormat.PrometheusText;
        }

        double openMetrics = 0;
        double text = 0;
        foreach (MediaTypeHeaderValue range in ranges)
        {
            double quality = range.Quality ?? 1;
            StringSegment version = NameValueHeaderValue.Find(range.Parameters, "version")?.Value ?? default;
            if (range.MediaType.Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase))
            {
                if (!version.HasValue || version.Equals("1.0.0", StringComparison.Ordinal))
                {
                    openMetrics = Math.Max(openMetrics, quality);
                }
            }
            else if (range.MatchesAllTypes
                || (range.MatchesAllSubTypes && range.Type.Equals("text", StringComparison.OrdinalIgnoreCase))
                || range.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                text = Math.Max(text, quality);
            }
        }

        return openMetrics > 0 && openMetrics >= text ? ExpositionFormat.OpenMetricsText : ExpositionFormat.PrometheusText;
    }

    public static string ContentType(ExpositionFormat format) =>
        format == ExpositionFormat.OpenMetricsText ? OpenMetricsContentType : TextContentType;

    /// <summary>Whether <c>Accept-Encoding</c> allows gzip, named or through <c>*</c>, with a quality above zero.</summary>
    public static bool AcceptsGzip(StringValues acceptEncoding)
    {
        if (StringValues.IsNullOrEmpty(acceptEncoding) || !StringWithQualityHeaderValue.TryParseList(acceptEncoding, out IList<StringWithQualityHeaderValue>? codings))
        {
            return false;
        }

        double? gzip = null;
        double? any = null;
        foreach (StringWithQualityHeaderValue coding in codings)
        {
            if (coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                gzip = coding.Quality ?? 1;
            }
            else if (coding.Value.Equals("*", StringComparison.Ordinal))
            {
                any = coding.Quality ?? 1;
            }
        }

        return (gzip ?? any ?? 0) > 0;
    }
}
