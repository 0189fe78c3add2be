using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// A small fault-injecting receiver of pushes for tests: it answers each push as <see cref="Respond"/> says (a 2xx, or
/// a fault: 429 with Retry-After, 400 with a message, 503, no answer at all), and records what each push carried,
/// decoded by the subclass independently of the plugin's encoder.
/// </summary>
/// <typeparam name="TPush">One push as the subclass decodes it.</typeparam>
public abstract class PushReceiver<TPush> : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<TPush> _pushes = [];
    private readonly Thread _thread;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();

    protected PushReceiver(ReceiverReply accepted)
    {
        Respond = _ => accepted;
        Port = LoopbackPorts.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _thread = new Thread(Serve) { IsBackground = true, Name = GetType().Name };
        _thread.Start();
    }

    public int Port { get; }

    public abstract string Url { get; }

    /// <summary>The answer to the push numbered by the argument (0 first); the protocol's success unless set.</summary>
    public Func<int, ReceiverReply> Respond { get; set; }

    /// <summary>When set, a push without exactly this <c>Authorization</c> header gets 401, whatever <see cref="Respond"/> says.</summary>
    public string? RequiredAuthorization { get; set; }

    public IReadOnlyList<TPush> Pushes
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
    public IReadOnlyList<TPush> WaitForPushes(int count, TimeSpan? hang = null)
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
        GC.SuppressFinalize(this);
    }

    /// <summary>One push's body as received (still compressed), decoded.</summary>
    protected abstract TPush Decode(TimeSpan at, Dictionary<string, string> headers, byte[] body, ReceiverReply reply);

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

            byte[] message = reply.Bytes ?? Encoding.UTF8.GetBytes(reply.Body);
            context.Response.OutputStream.Write(message);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
        }
    }
}

/// <summary>How the receiver answers one push.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The message in the body.</param>
/// <param name="Hang">Never answer (until the receiver is disposed).</param>
public sealed record ReceiverReply(int Status, string Body = "", bool Hang = false)
{
    public (string Name, string Value)[] Headers { get; init; } = [];

    /// <summary>A binary body (a protobuf message) instead of <see cref="Body"/>.</summary>
    public byte[]? Bytes { get; init; }
}
