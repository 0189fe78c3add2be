using FluentBit.Plugins;

namespace CpuExporter;

/// <summary>Exports Fluent Bit's cpu input as one gauge, cpu_usage_percent{cpu, mode}.</summary>
[FluentBitPlugin("cpu_exporter", "Exports Fluent Bit's cpu input as Prometheus metrics", DefaultHttpPort = 8989)]
public sealed partial class CpuExporter : PrometheusExporter<CpuRecord>
{
}
