using FluentBit.Plugins.TestKit;
using Xunit;

namespace MyExporter.Tests;

/// <summary>The plugin run in this process by its generated code: no Fluent Bit, no publish.</summary>
public class MyExporterTests
{
    [Fact]
    public void RecordsAreCountedByLevelAndTheirDurationsObservedByService()
    {
        var plugin = new PluginHarness<MyExporter>();
        Assert.Equal("my_exporter", plugin.PluginName);
        Assert.Equal(8990, plugin.DefaultHttpPort);

        plugin.Send(new { level = "info", service = "checkout", duration = 0.042 });
        plugin.SendJsonLines("""
            {"level":"info","service":"checkout","duration":0.5}
            {"level":"error","service":"checkout","duration":"2.5"}
            """, tag: "app.checkout");

        Assert.Equal(2, plugin.Value("my_exporter_records_total", ("level", "info")));
        Assert.Equal(1, plugin.Value("my_exporter_records_total", ("level", "error")));
        Assert.Equal(3, plugin.Value("my_exporter_duration_seconds_count", ("service", "checkout")));
        Assert.Equal(1, plugin.Value("my_exporter_duration_seconds_bucket", ("service", "checkout"), ("le", "0.1")));
        Assert.Equal(3.042, plugin.Value("my_exporter_duration_seconds_sum", ("service", "checkout"))!.Value, 9);
    }

    [Fact]
    public void ARecordWithoutALevelSkipsOnlyTheCounter()
    {
        var plugin = new PluginHarness<MyExporter>();
        plugin.Send(new { service = "search", duration = 0.2 });

        Assert.Empty(plugin.Samples("my_exporter_records_total"));
        Assert.Equal(1, plugin.Skips("my_exporter_records_total").MissingLabel);
        Assert.Equal(1, plugin.Value("my_exporter_duration_seconds_count", ("service", "search")));
        Assert.Contains("# TYPE my_exporter_records_total counter", plugin.Exposition());
    }
}
