using System;
using System.Collections.Generic;
using System.Text;

namespace FluentBit.Plugins.SelfMetrics;

/// <summary>
/// Counts the time series of each metric in an exposition prometheus-net wrote. prometheus-net offers no way
/// to list a registry's collectors, so the count comes from the text being served: every sample line
/// belongs to the family of the <c># TYPE</c> line above it.
/// </summary>
internal static class ExpositionSeries
{
    private static readonly byte[] TypePrefix = "# TYPE "u8.ToArray();

    /// <returns>Each family with its sample lines, under the name the text format gives it.</returns>
    public static List<(string Metric, int Series)> Count(ReadOnlySpan<byte> exposition, bool openMetrics)
    {
        var families = new List<(string, int)>();
        string? family = null;
        int series = 0;
        while (!exposition.IsEmpty)
        {
            int end = exposition.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? exposition : exposition[..end];
            exposition = end < 0 ? default : exposition[(end + 1)..];
            if (line.StartsWith(TypePrefix))
            {
                if (family is not null)
                {
                    families.Add((family, series));
                }

                family = FamilyName(line[TypePrefix.Length..], openMetrics);
                series = 0;
            }
            else if (!line.IsEmpty && line[0] != (byte)'#')
            {
                series++;
            }
        }

        if (family is not null)
        {
            families.Add((family, series));
        }

        return families;
    }

    /// <summary>
    /// OpenMetrics names a counter family without its <c>_total</c>, which its samples carry: the name gets it back,
    /// so a counter declared as <c>x_total</c> is <c>x_total</c> whichever format the scraper asked for.
    /// </summary>
    private static string FamilyName(ReadOnlySpan<byte> nameAndType, bool openMetrics)
    {
        int space = nameAndType.IndexOf((byte)' ');
        ReadOnlySpan<byte> name = space < 0 ? nameAndType : nameAndType[..space];
        bool counter = space >= 0 && nameAndType[(space + 1)..].SequenceEqual("counter"u8);
        string text = Encoding.UTF8.GetString(name);
        return openMetrics && counter ? text + "_total" : text;
    }
}
