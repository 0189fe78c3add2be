using FluentBit.Plugins;

namespace MyExporter;

/// <summary>
/// The plugin: Fluent Bit loads it with <c>-e my_exporter.so</c> and runs it with <c>-o my_exporter</c>. Each
/// [OUTPUT] instance serves its own /metrics on <c>http_port</c> (8990 unless set).
/// </summary>
[FluentBitPlugin("my_exporter", "Exports log records as Prometheus metrics", DefaultHttpPort = 8990)]
public sealed partial class MyExporter : PrometheusExporter<LogRecord>
{
}
