using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace FluentBit.Plugins.Testing;

public static class LoopbackPorts
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port nothing listens on right now, and never handed out before in this process: the kernel may
    /// give the same free port to two binds in a row, and a test that asks for two ports (a plugin's and Fluent
    /// Bit's own server) before either binds must not get the same one twice.
    /// </summary>
    public static int Free()
    {
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
