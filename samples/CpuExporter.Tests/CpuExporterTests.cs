using System;
using System.Collections.Generic;
using System.IO;
using FluentBit.Plugins.TestKit;
using Xunit;

namespace CpuExporter.Tests;

/// <summary>The cpu sample, run in-process by the test kit on records shaped like Fluent Bit's cpu input, and on its real chunks.</summary>
public class CpuExporterTests
{
    private static Dictionary<string, object?> CpuRecord(double total, double user, double system, params (int Core, double Total, double User, double System)[] cores)
    {
        var record = new Dictionary<string, object?> { ["cpu_p"] = total, ["user_p"] = user, ["system_p"] = system };
        foreach ((int core, double coreTotal, double coreUser, double coreSystem) in cores)
        {
            record[$"cpu{core}.p_cpu"] = coreTotal;
            record[$"cpu{core}.p_user"] = coreUser;
            record[$"cpu{core}.p_system"] = coreSystem;
        }

        return record;
    }

    [Fact]
    public void MachineFiguresAndEveryCoreBecomeOneGaugeByCpuAndMode()
    {
        var plugin = new PluginHarness<CpuExporter>();
        Assert.Equal("cpu_exporter", plugin.PluginName);
        Assert.Equal(8989, plugin.DefaultHttpPort);

        plugin.Send(CpuRecord(12.5, 10, 2.5, (0, 20, 15, 5), (1, 5, 5, 0), (2, 12.5, 10, 2.5)), tag: "cpu.local");

        Assert.Equal(12.5, plugin.Value("cpu_usage_percent", ("cpu", "all"), ("mode", "total")));
        Assert.Equal(10, plugin.Value("cpu_usage_percent", ("cpu", "all"), ("mode", "user")));
        Assert.Equal(2.5, plugin.Value("cpu_usage_percent", ("cpu", "all"), ("mode", "system")));
        Assert.Equal(20, plugin.Value("cpu_usage_percent", ("cpu", "cpu0"), ("mode", "total")));
        Assert.Equal(15, plugin.Value("cpu_usage_percent", ("mode", "user"), ("cpu", "cpu0")));
        Assert.Equal(0, plugin.Value("cpu_usage_percent", ("cpu", "cpu1"), ("mode", "system")));
        Assert.Equal(2.5, plugin.Value("cpu_usage_percent", ("cpu", "cpu2"), ("mode", "system")));
        Assert.Equal(12, plugin.Samples("cpu_usage_percent").Count);
        Assert.Null(plugin.Value("cpu_usage_percent", ("cpu", "cpu3"), ("mode", "total")));
    }

    [Fact]
    public void AGaugeHoldsTheLatestRecord()
    {
        var plugin = new PluginHarness<CpuExporter>();
        plugin.SendAll([CpuRecord(50, 40, 10, (0, 50, 40, 10)), CpuRecord(3, 2, 1, (0, 3, 2, 1))]);
        plugin.Send(CpuRecord(7, 4, 3));

        Assert.Equal(7, plugin.Value("cpu_usage_percent", ("cpu", "all"), ("mode", "total")));
        Assert.Equal(3, plugin.Value("cpu_usage_percent", ("cpu", "cpu0"), ("mode", "total")));
    }

    [Fact]
    public void ChunksARealFluentBitFlushedAreDecoded()
    {
        var plugin = new PluginHarness<CpuExporter>();
        // tests/vectors/cpu.json: cpu_p 1.5, user_p 1.0, system_p 0.5, cpu0.p_cpu 2.0, cpu1.p_user 2.0.
        Assert.Equal(1, plugin.SendChunk(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "vectors", "0001.msgpack")), tag: "cpu.0"));

        Assert.Equal(1.5, plugin.Value("cpu_usage_percent", ("cpu", "all"), ("mode", "total")));
        Assert.Equal(1, plugin.Value("cpu_usage_percent", ("cpu", "all"), ("mode", "user")));
        Assert.Equal(0.5, plugin.Value("cpu_usage_percent", ("cpu", "all"), ("mode", "system")));
        Assert.Equal(2, plugin.Value("cpu_usage_percent", ("cpu", "cpu0"), ("mode", "total")));
        Assert.Equal(2, plugin.Value("cpu_usage_percent", ("cpu", "cpu1"), ("mode", "user")));
        Assert.Equal(0, plugin.Skips("cpu_usage_percent").Total);
    }

    [Fact]
    public void AValueThatIsNoNumberIsSkippedAndCountedWhileTheOthersUpdate()
    {
        var plugin = new PluginHarness<CpuExporter>();
        plugin.Send(new Dictionary<string, object?> { ["cpu_p"] = "busy", ["user_p"] = 1.0, ["cpu0.p_cpu"] = "n/a", ["cpu0.p_user"] = 2.0 });

        MetricSkips skips = plugin.Skips("cpu_usage_percent");
        Assert.Equal(2, skips.InvalidValue);
        Assert.Equal(1, skips.MissingValue);   // system_p
        Assert.Null(plugin.Value("cpu_usage_percent", ("cpu", "all"), ("mode", "total")));
        Assert.Equal(1, plugin.Value("cpu_usage_percent", ("cpu", "all"), ("mode", "user")));
        Assert.Equal(2, plugin.Value("cpu_usage_percent", ("cpu", "cpu0"), ("mode", "user")));
    }

    [Fact]
    public void TheExpositionIsWhatPrometheusScrapes()
    {
        var plugin = new PluginHarness<CpuExporter>(new Dictionary<string, string> { ["add_labels"] = "host=node1" });
        plugin.Send(CpuRecord(1.5, 1, 0.5));

        string exposition = plugin.Exposition();
        Assert.Contains("# HELP cpu_usage_percent CPU usage in percent\n# TYPE cpu_usage_percent gauge\n", exposition);
        Assert.Contains("cpu_usage_percent{cpu=\"all\",mode=\"total\",host=\"node1\"} 1.5\n", exposition);
        Assert.Equal(1.5, plugin.Value("cpu_usage_percent", ("cpu", "all"), ("mode", "total"), ("host", "node1")));
    }
}
