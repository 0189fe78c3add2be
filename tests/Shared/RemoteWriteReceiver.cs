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
/// A small remote-write receiver for tests (see <see cref="PushReceiver{TPush}"/>): each push decoded with Snappier and
/// Google.Protobuf's <see cref="CodedInputStream"/> independently of the plugin's encoder.
/// </summary>
public sealed class RemoteWriteReceiver() : PushReceiver<ReceivedPush>(new ReceiverReply(204))
{
    public override string Url => $"http://127.0.0.1:{Port}/api/v1/write";

    protected override ReceivedPush Decode(TimeSpan at, Dictionary<string, string> headers, byte[] compressed, ReceiverReply reply)
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
