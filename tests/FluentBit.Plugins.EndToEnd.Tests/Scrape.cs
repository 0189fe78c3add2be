using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using FluentBit.Plugins.Testing;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>Scrapes an endpoint over loopback the way Prometheus does.</summary>
public static class Scrape
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static Dictionary<string, double> Metrics(int port) => PrometheusText.Parse(Text(port));

    public static string Text(int port)
    {
        using HttpResponseMessage response = Client.GetAsync($"http://127.0.0.1:{port}/metrics").GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
    }

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
