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

namespace FluentBit.Plugins.RemoteWrite;

/// <summary>
/// Sends one encoded, snappy-compressed <c>WriteRequest</c> to the receiver, as Remote-Write 1.0 asks (POST,
/// <c>Content-Encoding: snappy</c>, <c>Content-Type: application/x-protobuf</c>,
/// <c>X-Prometheus-Remote-Write-Version: 0.1.0</c>), and says how it ended. One pooled connection is kept between
/// pushes; redirects are not followed (a receiver that moved answers with the new URL in the message, and following
/// it would resend the credentials elsewhere).
/// </summary>
internal sealed class RemoteWriteClient : IDisposable
{
    /// <summary>How much of a refusal's body a log line quotes.</summary>
    private const int MaxMessageBytes = 512;

    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");
    private static readonly ProductInfoHeaderValue UserAgent =
        new("FluentBit.Plugins", typeof(RemoteWriteClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly RemoteWriteConfig _config;
    private readonly HttpClient _client;

    public RemoteWriteClient(RemoteWriteConfig config)
    {
        _config = config;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = config.Timeout,
            PooledConnectionIdleTimeout = config.Interval + config.Interval,
            MaxConnectionsPerServer = 1,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = ValidateCertificate },
        };
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>Posts the body; never throws but for <paramref name="stopping"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="stopping"/> was cancelled.</exception>
    public PushOutcome Send(ReadOnlyMemory<byte> compressedBody, TimeSpan timeout, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _config.Url)
            {
                Content = new ReadOnlyMemoryContent(compressedBody),
            };
            request.Content.Headers.ContentType = Protobuf;
            request.Content.Headers.ContentEncoding.Add("snappy");
            request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
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
            int status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return new PushOutcome(PushResult.Ok, $"HTTP {status}", null);
            }

            string detail = $"HTTP {status} {response.ReasonPhrase}: {ReadMessage(response, deadline.Token)}";
            TimeSpan? retryAfter = RetryAfter(response);
            return status switch
            {
                429 => new PushOutcome(PushResult.Throttled, detail, retryAfter),
                >= 500 => new PushOutcome(PushResult.ServerError, detail, retryAfter),
                _ => new PushOutcome(PushResult.Rejected, detail, null),
            };
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new PushOutcome(PushResult.Timeout, $"no answer within {timeout.TotalSeconds:0.###} s", null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or AuthenticationException)
        {
            return new PushOutcome(PushResult.Unreachable, Describe(e), null);
        }
        catch (PluginConfigException e)
        {
            // The bearer token file went missing or empty since Init: nothing was sent.
            return new PushOutcome(PushResult.Unreachable, e.Message, null);
        }
    }

    public void Dispose() => _client.Dispose();

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

        // The name must match whatever signs the certificate; only the chain is judged against remote_write_tls_ca_file.
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

    private static string ReadMessage(HttpResponseMessage response, CancellationToken cancellation)
    {
        try
        {
            using Stream body = response.Content.ReadAsStream(cancellation);
            byte[] buffer = new byte[MaxMessageBytes];
            int length = 0;
            int read;
            while (length < buffer.Length && (read = body.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            string message = Encoding.UTF8.GetString(buffer, 0, length).Trim().ReplaceLineEndings(" ");
            return message.Length == 0 ? "(no message)" : message;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            return $"(its message could not be read: {e.Message})";
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
