using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using FluentBit.Plugins.Configuration;

namespace FluentBit.Plugins.Push;

/// <summary>
/// Sends one encoded body to a target's receiver (POST, the configured auth and headers, the target's content headers)
/// and hands its answer to the target to judge. One pooled connection is kept between pushes; redirects are not
/// followed (a receiver that moved answers with the new URL in the message, and following it would resend the
/// credentials elsewhere).
/// </summary>
internal sealed class PushClient : IDisposable
{
    /// <summary>How much of an answer's body is read: an OTLP partial success or an error message fits in far less.</summary>
    private const int MaxAnswerBytes = 64 * 1024;

    private static readonly ProductInfoHeaderValue UserAgent =
        new("FluentBit.Plugins", typeof(PushClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly IPushTarget _target;
    private readonly PushTargetConfig _config;
    private readonly HttpClient _client;

    public PushClient(IPushTarget target)
    {
        _target = target;
        _config = target.Config;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = _config.Timeout,
            PooledConnectionIdleTimeout = _config.Interval + _config.Interval,
            MaxConnectionsPerServer = 1,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = ValidateCertificate },
        };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>Posts the body; never throws but for <paramref name="stopping"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="stopping"/> was cancelled.</exception>
    public PushOutcome Send(ReadOnlyMemory<byte> body, TimeSpan timeout, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _config.Url) { Content = new ReadOnlyMemoryContent(body) };
            _target.Label(request);
            request.Headers.UserAgent.Add(UserAgent);
            if (_config.AuthorizationHeader() is string authorization)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            foreach ((string name, string value) in _config.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using HttpResponseMessage response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return _target.Judge(new ReceiverAnswer(
                (int)response.StatusCode, response.ReasonPhrase, ReadBody(response, deadline.Token),
                response.Content.Headers.ContentType?.MediaType, RetryAfter(response)));
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return PushOutcome.Retry(PushResult.Timeout, $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or AuthenticationException)
        {
            return PushOutcome.Retry(PushResult.Unreachable, Describe(e));
        }
        catch (PluginConfigException e)
        {
            // The bearer token file went missing or empty since Init: nothing was sent.
            return PushOutcome.Retry(PushResult.Unreachable, e.Message);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The receiver's message as text for a log line: trimmed, on one line, at most 512 characters.</summary>
    public static string MessageText(ReadOnlySpan<byte> body) => MessageText(Encoding.UTF8.GetString(body));

    /// <inheritdoc cref="MessageText(ReadOnlySpan{byte})"/>
    public static string MessageText(string text)
    {
        string message = text.Trim().ReplaceLineEndings(" ");
        return message.Length > 512 ? message[..512] : message;
    }

    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (!_config.VerifyCertificate)
        {
            return true;
        }

        if (_config.TrustedCas is null || certificate is null)
        {
            return errors == SslPolicyErrors.None;
        }

        // The name must match whatever signs the certificate; only the chain is judged against the target's CA file.
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_config.TrustedCas);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    private static byte[] ReadBody(HttpResponseMessage response, CancellationToken cancellation)
    {
        try
        {
            using Stream body = response.Content.ReadAsStream(cancellation);
            byte[] buffer = new byte[MaxAnswerBytes];
            int length = 0;
            int read;
            while (length < buffer.Length && (read = body.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            return Encoding.UTF8.GetBytes($"(its message could not be read: {e.Message})");
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? header = response.Headers.RetryAfter;
        if (header?.Delta is TimeSpan delta)
        {
            return delta;
        }

        return header?.Date is DateTimeOffset date ? date - DateTimeOffset.UtcNow : null;
    }

    private static string Describe(Exception e)
    {
        var text = new StringBuilder(e.Message);
        for (Exception? inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(": ").Append(inner.Message);
        }

        return text.ToString();
    }
}
