using System;

namespace FluentBit.Plugins.Endpoint;

/// <summary>The /metrics endpoint could not listen; the message names the address and port.</summary>
internal sealed class EndpointStartException : Exception
{
    public EndpointStartException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
