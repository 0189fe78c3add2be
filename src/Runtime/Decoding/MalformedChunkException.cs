using System;

namespace FluentBit.Plugins.Decoding;

/// <summary>The chunk is not a sequence of Fluent Bit events; the message says where and why.</summary>
internal sealed class MalformedChunkException : Exception
{
    public MalformedChunkException(string message)
        : base(message)
    {
    }
}
