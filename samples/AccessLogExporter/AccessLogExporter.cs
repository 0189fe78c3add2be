using FluentBit.Plugins;

namespace AccessLogExporter;

/// <summary>
/// Exports HTTP access logs read by Fluent Bit's tail input as request, latency and traffic metrics. Works the
/// same with the json parser (typed values) and with a regex parser (every value a string).
/// </summary>
[FluentBitPlugin("access_log_exporter", "Exports HTTP access logs as Prometheus metrics", DefaultHttpPort = 8991)]
public sealed partial class AccessLogExporter : PrometheusExporter<AccessRecord>
{
}
