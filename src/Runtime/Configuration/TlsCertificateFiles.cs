using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FluentBit.Plugins.Configuration;

/// <summary>
/// The PEM certificate (chain) and private key the endpoint serves TLS with, from <c>http_tls_crt_file</c> and
/// <c>http_tls_key_file</c>. Loading fails with a message naming the key and the file at fault.
/// </summary>
internal sealed record TlsCertificateFiles(string CrtFile, string KeyFile)
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    /// <returns>Null when neither key is set.</returns>
    /// <exception cref="PluginConfigException">Only one of the two keys is set.</exception>
    public static TlsCertificateFiles? Read(IPropertySource properties)
    {
        string? crt = properties.Get(ConfigKeys.HttpTlsCrtFile);
        string? key = properties.Get(ConfigKeys.HttpTlsKeyFile);
        return (crt, key) switch
        {
            (null, null) => null,
            (not null, not null) => new TlsCertificateFiles(crt, key),
            _ => throw new PluginConfigException(
                $"{(crt is null ? ConfigKeys.HttpTlsKeyFile : ConfigKeys.HttpTlsCrtFile)} is set but "
                + $"{(crt is null ? ConfigKeys.HttpTlsCrtFile : ConfigKeys.HttpTlsKeyFile)} is not: TLS needs both PEM files"),
        };
    }

    /// <summary>Reads both files: the first certificate is the server's, any following ones its chain.</summary>
    /// <exception cref="PluginConfigException">A file is missing or unreadable, holds no PEM of its kind, or the key does not match.</exception>
    public ServerCertificate Load()
    {
        string crtPem = ConfigFile.ReadText(ConfigKeys.HttpTlsCrtFile, CrtFile);
        string keyPem = ConfigFile.ReadText(ConfigKeys.HttpTlsKeyFile, KeyFile);

        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(crtPem);
        }
        catch (CryptographicException e)
        {
            throw new PluginConfigException($"{ConfigKeys.HttpTlsCrtFile} '{CrtFile}' is not a PEM certificate: {e.Message}");
        }

        if (chain.Count == 0)
        {
            throw new PluginConfigException($"{ConfigKeys.HttpTlsCrtFile} '{CrtFile}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        X509Certificate2 leaf = chain[0];
        chain.RemoveAt(0);
        try
        {
            return new ServerCertificate(WithKey(leaf, keyPem), chain);
        }
        finally
        {
            leaf.Dispose();
        }
    }

    private X509Certificate2 WithKey(X509Certificate2 certificate, string keyPem)
    {
        using AsymmetricAlgorithm key = certificate.GetKeyAlgorithm() switch
        {
            RsaOid => RSA.Create(),
            EcOid => ECDsa.Create(),
            string other => throw new PluginConfigException(
                $"{ConfigKeys.HttpTlsCrtFile} '{CrtFile}' holds a certificate for a key of type {other}: RSA or EC certificates are supported"),
        };
        try
        {
            key.ImportFromPem(keyPem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new PluginConfigException(
                $"{ConfigKeys.HttpTlsKeyFile} '{KeyFile}' holds no usable PEM private key (an unencrypted PKCS#8, RSA or EC key is needed): {e.Message}");
        }

        try
        {
            return key is RSA rsa ? certificate.CopyWithPrivateKey(rsa) : certificate.CopyWithPrivateKey((ECDsa)key);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new PluginConfigException(
                $"{ConfigKeys.HttpTlsKeyFile} '{KeyFile}' is not the private key of the certificate in {ConfigKeys.HttpTlsCrtFile} '{CrtFile}'");
        }
    }
}
