using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using Google.Protobuf;
using Snappier;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// A small remote-write receiver for tests: it answers each push as <see cref="Respond"/> says (204, or a fault:
/// 429 with Retry-After, 400 with a message, 503, no answer at all), and records what each push carried, decoded
/// with Snappier and Google.Protobuf's <see cref="CodedInputStream"/> independently of the plugin's encoder.
/// </summary>
public sealed class RemoteWriteReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<ReceivedPush> _pushes = [];
    private readonly Thread _thread;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();

    public RemoteWriteReceiver()
    {
        Port = LoopbackPorts.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _thread = new Thread(Serve) { IsBackground = true, Name = "remote-write receiver" };
        _thread.Start();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/api/v1/write";

    /// <summary>The answer to the push numbered by the argument (0 first); 204 unless set.</summary>
    public Func<int, ReceiverReply> Respond { get; set; } = static _ => new ReceiverReply(204);

    /// <summary>When set, a push without exactly this <c>Authorization</c> header gets 401, whatever <see cref="Respond"/> says.</summary>
    public string? RequiredAuthorization { get; set; }

    public IReadOnlyList<ReceivedPush> Pushes
    {
        get
        {
            lock (_pushes)
            {
                return [.. _pushes];
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> pushes arrived; the bound is one only a hang crosses.</summary>
    public IReadOnlyList<ReceivedPush> WaitForPushes(int count, TimeSpan? hang = null)
    {
        if (!SpinWait.SpinUntil(() => Pushes.Count >= count, hang ?? TimeSpan.FromSeconds(60)))
        {
            throw new TimeoutException($"{Pushes.Count} of {count} pushes arrived");
        }

        return Pushes;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = _listener.GetContext();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            ThreadPool.QueueUserWorkItem(_ => Answer(context));
        }
    }

    private void Answer(HttpListenerContext context)
    {
        TimeSpan at = _clock.Elapsed;
        using var body = new MemoryStream();
        context.Request.InputStream.CopyTo(body);
        var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        ReceiverReply reply;
        lock (_pushes)
        {
            reply = RequiredAuthorization is { } required && (!headers.TryGetValue("Authorization", out string? given) || given != required)
                ? new ReceiverReply(401, "wrong credentials") { Headers = [("WWW-Authenticate", "Basic realm=\"receiver\"")] }
                : Respond(_pushes.Count);
            _pushes.Add(Decode(at, headers, body.ToArray(), reply));
        }

        try
        {
            if (reply.Hang)
            {
                _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(60));
                context.Response.Abort();
                return;
            }

            context.Response.StatusCode = reply.Status;
            foreach ((string name, string value) in reply.Headers)
            {
                context.Response.Headers[name] = value;
            }

            byte[] message = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.OutputStream.Write(message);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
        }
    }

    private static ReceivedPush Decode(TimeSpan at, Dictionary<string, string> headers, byte[] compressed, ReceiverReply reply)
    {
        var series = new List<ReceivedSeries>();
        var metadata = new List<(int Type, string Name, string Help)>();
        var input = new CodedInputStream(Snappy.DecompressToArray(compressed));
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    series.Add(ReadSeries(new CodedInputStream(input.ReadBytes().ToByteArray())));
                    break;
                case 3:
                    metadata.Add(ReadMetadata(new CodedInputStream(input.ReadBytes().ToByteArray())));
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new ReceivedPush(at, headers, series, metadata, reply);
    }

    private static ReceivedSeries ReadSeries(CodedInputStream input)
    {
        var labels = new List<KeyValuePair<string, string>>();
        double value = double.NaN;
        long timestamp = 0;
        int samples = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var inner = new CodedInputStream(input.ReadBytes().ToByteArray());
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                string name = "", labelValue = "";
                uint field;
                while ((field = inner.ReadTag()) != 0)
                {
                    if (WireFormat.GetTagFieldNumber(field) == 1)
                    {
                        name = inner.ReadString();
                    }
                    else
                    {
                        labelValue = inner.ReadString();
                    }
                }

                labels.Add(new(name, labelValue));
            }
            else
            {
                samples++;
                uint field;
                while ((field = inner.ReadTag()) != 0)
                {
                    if (WireFormat.GetTagFieldNumber(field) == 1)
                    {
                        value = inner.ReadDouble();
                    }
                    else
                    {
                        timestamp = inner.ReadInt64();
                    }
                }
            }
        }

        return new ReceivedSeries(labels, value, timestamp, samples);
    }

    private static (int, string, string) ReadMetadata(CodedInputStream input)
    {
        int type = 0;
        string name = "", help = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: type = input.ReadEnum(); break;
                case 2: name = input.ReadString(); break;
                case 4: help = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }

        return (type, name, help);
    }
}

/// <summary>How the receiver answers one push.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The message in the body.</param>
/// <param name="Hang">Never answer (until the receiver is disposed).</param>
public sealed record ReceiverReply(int Status, string Body = "", bool Hang = false)
{
    public (string Name, string Value)[] Headers { get; init; } = [];
}

/// <summary>One push as received: when (on the receiver's clock), its headers, series and metadata, and the answer it got.</summary>
public sealed record ReceivedPush(TimeSpan At, Dictionary<string, string> Headers, List<ReceivedSeries> Series, List<(int Type, string Name, string Help)> Metadata, ReceiverReply Reply)
{
    /// <summary>Each series by its labels in the text format's key (<c>name{a="b",c="d"}</c>, labels as sent, minus __name__).</summary>
    public Dictionary<string, double> Values() => Series.ToDictionary(s => s.Key, s => s.Value);
}

/// <summary>One series of a push: its labels in the order sent, its one sample.</summary>
public sealed record ReceivedSeries(List<KeyValuePair<string, string>> Labels, double Value, long TimestampMs, int Samples)
{
    public string Name => Labels.FirstOrDefault(l => l.Key == "__name__").Value ?? "";

    /// <summary>The series as <see cref="PrometheusText.Key"/> writes it, labels sorted by name.</summary>
    public string Key => PrometheusText.Key(Name, [.. Labels.Where(l => l.Key != "__name__").Select(l => (l.Key, l.Value))]);
}
