using System.Collections.Generic;
using FluentBit.Plugins.Testing;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>The exact series the cpu sample must serve for each real cpu chunk (tests/vectors/cpu.json).</summary>
public static class CpuSeries
{
    /// <summary>Chunk 0001: the only one whose values are all distinct and non-zero.</summary>
    public static Dictionary<string, double> After0001 => Series(
        all: (1.5, 1.0, 0.5), cpu0: (2.0, 1.0, 1.0), cpu1: (3.0, 2.0, 1.0));

    /// <summary>Chunk 0003, the last of the set.</summary>
    public static Dictionary<string, double> After0003 => Series(
        all: (0.5, 0.0, 0.5), cpu0: (0, 0, 0), cpu1: (0, 0, 0));

    private static Dictionary<string, double> Series(
        (double Total, double User, double System) all,
        (double Total, double User, double System) cpu0,
        (double Total, double User, double System) cpu1)
    {
        var series = new Dictionary<string, double>();
        foreach ((string cpu, var values) in new[] { ("all", all), ("cpu0", cpu0), ("cpu1", cpu1) })
        {
            series[PrometheusText.Key("cpu_usage_percent", ("cpu", cpu), ("mode", "total"))] = values.Total;
            series[PrometheusText.Key("cpu_usage_percent", ("cpu", cpu), ("mode", "user"))] = values.User;
            series[PrometheusText.Key("cpu_usage_percent", ("cpu", cpu), ("mode", "system"))] = values.System;
        }

        return series;
    }
}
