using FluentBit.Plugins;

namespace CpuExporter;

/// <summary>
/// A record of Fluent Bit's cpu input. The machine-wide figures are properties; the per-core keys
/// (cpu0.p_cpu, cpu0.p_user, cpu0.p_system, cpu1.p_cpu, ...) take their labels from the key itself,
/// whatever the number of cores.
/// </summary>
[Gauge("cpu_usage_percent", KeyPattern = "{cpu}.p_{mode:cpu=total}")]
public sealed class CpuRecord
{
    [Key("cpu_p"), Gauge("cpu_usage_percent", "CPU usage in percent"), Label("cpu", "all"), Label("mode", "total")]
    public double Total { get; set; }

    [Key("user_p"), Gauge("cpu_usage_percent"), Label("cpu", "all"), Label("mode", "user")]
    public double User { get; set; }

    [Key("system_p"), Gauge("cpu_usage_percent"), Label("cpu", "all"), Label("mode", "system")]
    public double System { get; set; }
}
