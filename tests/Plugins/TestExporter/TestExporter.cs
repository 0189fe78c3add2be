using System;
using System.Collections.Generic;
using FluentBit.Plugins;

namespace TestExporter;

/// <summary>
/// A second plugin for the end-to-end tests: it counts the burst vectors' records exactly, and its
/// record type holds user code that throws, to prove a failing flush never reaches Fluent Bit.
/// </summary>
[FluentBitPlugin("test_exporter", "Test fixture: counts records and throws on demand", DefaultHttpPort = 8990)]
public sealed partial class TestExporter : PrometheusExporter<TestRecord>
{
}

[RecordCounter("test_records_total", "Records received")]
public sealed class TestRecord
{
    /// <summary>
    /// Test-only switch: TEST_EXPORTER_LEAK_BYTES=N keeps N bytes alive for every record, forever. The soak test
    /// runs this deliberately leaking variant to show that its memory check fails on a real leak.
    /// </summary>
    private static readonly int LeakBytes = int.TryParse(Environment.GetEnvironmentVariable("TEST_EXPORTER_LEAK_BYTES"), out int n) ? n : 0;
    private static readonly List<byte[]> Leaked = [];

    private double _fail;
    private int _status;

    [Key("status"), Counter("test_status_sum_total", "Sum of the status field")]
    public int Status
    {
        get => _status;
        set
        {
            _status = value;
            if (LeakBytes > 0)
            {
                lock (Leaked)
                {
                    Leaked.Add(new byte[LeakBytes]);
                }
            }
        }
    }

    [Key("latency"), Counter("test_latency_seconds_total", "Sum of the latency field")]
    public double Latency { get; set; }

    /// <summary>A nested value, so that a record accessor descends on the coroutine stack (this plugin has no hook).</summary>
    [Key("$nested['value']"), Gauge("test_nested_value", "The nested.value field")]
    public double Nested { get; set; }

    /// <summary>User code in the decode path: a negative value throws, as a validating setter might.</summary>
    [Key("fail"), Gauge("test_fail_value", "The last fail field")]
    public double Fail
    {
        get => _fail;
        set => _fail = value >= 0 ? value : throw new InvalidOperationException($"fail must not be negative (got {value})");
    }
}
