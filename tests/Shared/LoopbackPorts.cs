using System.Net;
using System.Net.Sockets;

namespace FluentBit.Plugins.Testing;

public static class LoopbackPorts
{
    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int Free()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
