using System;
using System.Security.Cryptography.X509Certificates;

namespace FluentBit.Plugins.Configuration;

/// <summary>A server certificate with its private key, and the intermediate certificates sent with it.</summary>
internal sealed record ServerCertificate(X509Certificate2 Certificate, X509Certificate2Collection Chain) : IDisposable
{
    public void Dispose()
    {
        Certificate.Dispose();
        foreach (X509Certificate2 intermediate in Chain)
        {
            intermediate.Dispose();
        }
    }
}
