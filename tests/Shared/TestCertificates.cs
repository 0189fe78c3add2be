using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// A throwaway certificate authority and a server certificate it signed for 127.0.0.1 and localhost, written as
/// the PEM files <c>http_tls_crt_file</c> and <c>http_tls_key_file</c> take, plus the CA for clients to trust.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"fbp-tls-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(Directory);

        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=FluentBit.Plugins test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Authority = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 server = request.Create(Authority, now.AddDays(-1), now.AddDays(30), [1, 2, 3, 4, 5, 6, 7, 8]);

        File.WriteAllText(CaFile, Authority.ExportCertificatePem());
        File.WriteAllText(CrtFile, server.ExportCertificatePem() + "\n" + Authority.ExportCertificatePem());
        File.WriteAllText(KeyFile, serverKey.ExportPkcs8PrivateKeyPem());
        using ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(OtherKeyFile, otherKey.ExportPkcs8PrivateKeyPem());
    }

    public string Directory { get; }

    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate followed by the CA's: a leaf and its chain.</summary>
    public string CrtFile => Path.Combine(Directory, "server.crt");

    public string KeyFile => Path.Combine(Directory, "server.key");

    public string CaFile => Path.Combine(Directory, "ca.crt");

    /// <summary>A valid private key that belongs to no certificate here.</summary>
    public string OtherKeyFile => Path.Combine(Directory, "other.key");

    /// <summary>Whether a server certificate was issued by this CA (for a client's validation callback).</summary>
    public bool Issued(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Authority.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
