using System;
using System.IO;
using System.IO.Compression;
using System.Net.Http;
using System.Net.Http.Headers;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Push;
using Google.Protobuf;
using Prometheus;

namespace FluentBit.Plugins.Otlp;

/// <summary>
/// OTLP/HTTP with protobuf (the OTLP specification, "OTLP/HTTP"): an <c>ExportMetricsServiceRequest</c> POSTed with
/// <c>Content-Type: application/x-protobuf</c>, gzip-compressed unless <c>otlp_compression none</c>. The
/// specification's rules decide the rest: 429, 502, 503 and 504 are retried (after <c>Retry-After</c> when sent); any
/// other 4xx or 5xx drops the push; a 2xx may carry a partial success, the data points the receiver rejected and why.
/// </summary>
internal sealed class OtlpTarget : IPushTarget
{
    private const string ScopeName = "FluentBit.Plugins";

    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private static readonly string ScopeVersion = typeof(OtlpTarget).Assembly.GetName().Version?.ToString(3) ?? "0";

    private readonly OtlpConfig _config;
    private readonly SeriesStartTimes _startTimes;
    private readonly MemoryStream _compressed = new();
    private byte[] _request = new byte[64 * 1024];

    /// <param name="config">The <c>otlp_*</c> settings.</param>
    /// <param name="started">When the instance started: the start time of the series the first push finds.</param>
    public OtlpTarget(OtlpConfig config, DateTimeOffset started)
    {
        _config = config;
        _startTimes = new SeriesStartTimes(UnixNanos(started));
    }

    public PushTargetConfig Config => _config.Target;

    public string Protocol => "OTLP";

    public string Unit => "data_points";

    public string SelfMetricsName => "otlp";

    public bool HasPartialSuccess => true;

    public ExpositionFormat SnapshotFormat => ExpositionFormat.OpenMetricsText;

    public ReadOnlyMemory<byte> Encode(ExpositionSnapshot snapshot, DateTimeOffset now, out int count)
    {
        var metrics = OtlpMetricsMapper.Map(snapshot, UnixNanos(now), _startTimes);
        count = 0;
        foreach (OtlpMetric metric in metrics)
        {
            count += metric.Points.Count;
        }

        int length = OtlpMetricsEncoder.Encode(_config.ResourceAttributes, ScopeName, ScopeVersion, metrics, ref _request);
        if (!_config.Gzip)
        {
            return _request.AsMemory(0, length);
        }

        _compressed.SetLength(0);
        using (var gzip = new GZipStream(_compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(_request, 0, length);
        }

        return _compressed.GetBuffer().AsMemory(0, (int)_compressed.Length);
    }

    public void Label(HttpRequestMessage request)
    {
        request.Content!.Headers.ContentType = Protobuf;
        if (_config.Gzip)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }
    }

    public PushOutcome Judge(ReceiverAnswer answer)
    {
        if (answer.IsSuccess)
        {
            return PushOutcome.Accepted($"HTTP {answer.Status}", PartialSuccessOf(answer.Body));
        }

        string detail = answer.Describe(ErrorMessage(answer));
        return answer.Status switch
        {
            429 => PushOutcome.Retry(PushResult.Throttled, detail, answer.RetryAfter),
            502 or 503 or 504 => PushOutcome.Retry(PushResult.ServerError, detail, answer.RetryAfter),
            >= 500 => PushOutcome.Dropped(PushResult.ServerError, detail),
            _ => PushOutcome.Dropped(PushResult.Rejected, detail),
        };
    }

    /// <summary>
    /// The partial success of an <c>ExportMetricsServiceResponse</c> (partial_success = 1: rejected_data_points = 1,
    /// error_message = 2); null when the body has none, or says nothing (no rejection, no message).
    /// </summary>
    internal static PartialSuccess? PartialSuccessOf(byte[] body)
    {
        try
        {
            var input = new CodedInputStream(body);
            long rejected = 0;
            string message = "";
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) != 1 || WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
                {
                    input.SkipLastField();
                    continue;
                }

                var partial = new CodedInputStream(input.ReadBytes().ToByteArray());
                while ((tag = partial.ReadTag()) != 0)
                {
                    switch (tag)
                    {
                        case 8: // rejected_data_points, varint
                            rejected = partial.ReadInt64();
                            break;
                        case 18: // error_message
                            message = partial.ReadString();
                            break;
                        default:
                            partial.SkipLastField();
                            break;
                    }
                }
            }

            return rejected != 0 || message.Length > 0 ? new PartialSuccess(rejected, message.Length > 0 ? message : "(no message)") : null;
        }
        catch (InvalidProtocolBufferException)
        {
            // A 2xx whose body is not the response message (a proxy's page, JSON): the push was accepted, nothing more is known.
            return null;
        }
    }

    /// <summary>The message of an error answer: a <c>google.rpc.Status</c>'s message (field 2) when the body is protobuf, else the text.</summary>
    private static string ErrorMessage(ReceiverAnswer answer)
    {
        if (answer.ContentType is "application/x-protobuf" or "application/protobuf")
        {
            try
            {
                var input = new CodedInputStream(answer.Body);
                uint tag;
                while ((tag = input.ReadTag()) != 0)
                {
                    if (tag == 18)
                    {
                        return PushClient.MessageText(input.ReadString());
                    }

                    input.SkipLastField();
                }
            }
            catch (InvalidProtocolBufferException)
            {
                // Not a Status after all: quoted as text below.
            }
        }

        return PushClient.MessageText(answer.Body);
    }

    public override string ToString() => _config.ToString();

    private static ulong UnixNanos(DateTimeOffset time) => (ulong)((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100);
}
