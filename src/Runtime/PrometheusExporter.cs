namespace FluentBit.Plugins;

/// <summary>
/// Base class of a Prometheus exporter plugin. <typeparamref name="TRecord"/> describes the records
/// Fluent Bit sends: its properties carry <see cref="KeyAttribute"/>, <see cref="GaugeAttribute"/>,
/// <see cref="CounterAttribute"/> and <see cref="LabelAttribute"/>. Each <c>[OUTPUT]</c> instance gets its
/// own registry and its own <c>/metrics</c> endpoint.
/// </summary>
public abstract class PrometheusExporter<TRecord>
    where TRecord : class, new()
{
}
