using System;
using FluentBit.Plugins;

namespace ShapesExporter;

/// <summary>
/// A test plugin for Kubernetes-shaped records that uses every metric kind and value source the access-log
/// sample does not: nested record accessors, the tag and its parts, the metadata map, the event time and
/// delay, enums, booleans, raw UTF-8, a computed label set by the hook, constant labels, caps and expiry.
/// </summary>
[FluentBitPlugin("shapes_exporter", "Test fixture: every metric kind and value source", DefaultHttpPort = 8992)]
public sealed partial class ShapesExporter : PrometheusExporter<PodLog>
{
    /// <summary>
    /// Skips health checks and turns paths into routes, without allocating: the path stays in the chunk. Throws on
    /// the path <c>/throw</c>, as a hook with a bug would, to prove the event is skipped alone and counted.
    /// </summary>
    private static bool OnRecord(PodLog record, in EventContext context)
    {
        ReadOnlySpan<byte> path = record.Path.Span;
        if (path.SequenceEqual("/healthz"u8))
        {
            return false;
        }

        if (path.SequenceEqual("/throw"u8))
        {
            throw new InvalidOperationException("the hook failed on /throw");
        }

        record.Route = path.StartsWith("/api/items/"u8) ? "/api/items/:id" : path.IsEmpty ? null : "other";
        return true;
    }
}
