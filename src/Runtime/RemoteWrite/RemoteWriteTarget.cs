using System;
using System.Net.Http;
using System.Net.Http.Headers;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Push;
using Prometheus;
using Snappier;

namespace FluentBit.Plugins.RemoteWrite;

/// <summary>
/// Prometheus Remote-Write 1.0: a snappy-compressed <c>WriteRequest</c>, POSTed with <c>Content-Encoding: snappy</c>,
/// <c>Content-Type: application/x-protobuf</c> and <c>X-Prometheus-Remote-Write-Version: 0.1.0</c>; a 429 or any
/// 5xx is retried, any other status but a 2xx drops the push.
/// </summary>
internal sealed class RemoteWriteTarget(PushTargetConfig config) : IPushTarget
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    private byte[] _request = new byte[64 * 1024];
    private byte[] _compressed = new byte[64 * 1024];

    public PushTargetConfig Config => config;

    public string Protocol => "remote write";

    public string Unit => "samples";

    public string SelfMetricsName => "remote_write";

    public bool HasPartialSuccess => false;

    public ExpositionFormat SnapshotFormat => ExpositionFormat.PrometheusText;

    public ReadOnlyMemory<byte> Encode(ExpositionSnapshot snapshot, DateTimeOffset now, out int count)
    {
        count = snapshot.Samples.Count;
        int length = WriteRequestEncoder.Encode(snapshot, now.ToUnixTimeMilliseconds(), ref _request);
        int bound = Snappy.GetMaxCompressedLength(length);
        if (_compressed.Length < bound)
        {
            _compressed = new byte[Math.Max(bound, _compressed.Length * 2)];
        }

        return _compressed.AsMemory(0, Snappy.Compress(_request.AsSpan(0, length), _compressed));
    }

    public void Label(HttpRequestMessage request)
    {
        request.Content!.Headers.ContentType = Protobuf;
        request.Content.Headers.ContentEncoding.Add("snappy");
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
    }

    public override string ToString() => config.ToString();

    public PushOutcome Judge(ReceiverAnswer answer)
    {
        if (answer.IsSuccess)
        {
            return PushOutcome.Accepted($"HTTP {answer.Status}");
        }

        string detail = answer.Describe(PushClient.MessageText(answer.Body));
        return answer.Status switch
        {
            429 => PushOutcome.Retry(PushResult.Throttled, detail, answer.RetryAfter),
            >= 500 => PushOutcome.Retry(PushResult.ServerError, detail, answer.RetryAfter),
            _ => PushOutcome.Dropped(PushResult.Rejected, detail),
        };
    }
}
