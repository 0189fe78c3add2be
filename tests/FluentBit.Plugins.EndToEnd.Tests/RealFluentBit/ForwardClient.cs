using System;
using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MessagePack;
using Xunit;

namespace FluentBit.Plugins.EndToEnd.Tests.RealFluentBit;

/// <summary>
/// A Fluentd forward-protocol client for Fluent Bit's <c>forward</c> input: sends events in PackedForward mode
/// (<c>[tag, bin(events), {"chunk": id}]</c>), the mode whose entries Fluent Bit appends to its chunk as they are,
/// and waits for the <c>{"ack": id}</c> that Fluent Bit sends once it has taken them in.
/// </summary>
internal static class ForwardClient
{
    /// <summary>Sends <paramref name="events"/> (concatenated <c>[[time, metadata], body]</c> events) under <paramref name="tag"/>; true once acknowledged.</summary>
    public static bool Send(int port, string tag, byte[] events)
    {
        string id = Guid.NewGuid().ToString("N");
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(tag);
        writer.Write(events.AsSpan());
        writer.WriteMapHeader(1);
        writer.Write("chunk");
        writer.Write(id);
        writer.Flush();

        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        client.ReceiveTimeout = 30_000;
        using NetworkStream stream = client.GetStream();
        stream.Write(buffer.WrittenSpan);

        // Fluent Bit answers {"ack": id} once the entries are in its buffer; no answer means they were refused.
        byte[] answer = new byte[256];
        int read;
        try
        {
            read = stream.Read(answer);
        }
        catch (System.IO.IOException)
        {
            return false;
        }

        if (read == 0)
        {
            return false;
        }

        var reader = new MessagePackReader(answer.AsMemory(0, read));
        Assert.Equal(1, reader.ReadMapHeader());
        Assert.Equal("ack", reader.ReadString());
        Assert.Equal(id, reader.ReadString());
        return true;
    }
}
