using System;
using System.Collections.Generic;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// An independent OTLP client: the OpenTelemetry .NET SDK with its OTLP/HTTP protobuf exporter, sending spans named
/// <c>GET /api/items</c> (kind server) of exactly the durations and statuses given, each in a trace of its own.
/// </summary>
internal static class OtlpSpanClient
{
    /// <summary>Sends the spans through the OpenTelemetry SDK's OTLP/HTTP protobuf exporter; returns their trace ids.</summary>
    public static string[] Send(int otlp, string service, (TimeSpan Duration, ActivityStatusCode Status)[] spans)
    {
        string sourceName = $"test.checkout.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);
        using TracerProvider provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service))
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri($"http://127.0.0.1:{otlp}/v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();
        var traces = new List<string>();
        foreach ((TimeSpan duration, ActivityStatusCode status) in spans)
        {
            DateTime start = DateTime.UtcNow;
            using Activity activity = source.StartActivity("GET /api/items", ActivityKind.Server, default(ActivityContext), startTime: start)
                ?? throw new InvalidOperationException("the SDK sampled the span out");
            activity.SetStatus(status);
            activity.SetEndTime(start + duration);
            traces.Add(activity.TraceId.ToHexString());
            activity.Stop();
        }

        Assert.True(provider.ForceFlush(30_000), "the SDK could not export the spans");
        return [.. traces];
    }
}
