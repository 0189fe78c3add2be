using System.IO;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Testing;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

public class TlsCertificateFilesTests
{
    [Fact]
    public void LoadsTheServerCertificateWithItsKeyAndChain()
    {
        using var pki = new TestCertificates();

        using ServerCertificate loaded = new TlsCertificateFiles(pki.CrtFile, pki.KeyFile).Load();

        Assert.Equal("CN=localhost", loaded.Certificate.Subject);
        Assert.True(loaded.Certificate.HasPrivateKey);
        Assert.Equal(pki.Authority.Thumbprint, Assert.Single(loaded.Chain).Thumbprint);
    }

    [Fact]
    public void AMissingCertificateFileIsNamedWithItsKey()
    {
        using var pki = new TestCertificates();
        string missing = Path.Combine(pki.Directory, "missing.crt");

        var error = Assert.Throws<PluginConfigException>(() => new TlsCertificateFiles(missing, pki.KeyFile).Load());

        Assert.Equal($"http_tls_crt_file '{missing}' cannot be read: Could not find file '{missing}'.", error.Message);
    }

    [Fact]
    public void AnUnreadableKeyFileIsNamedWithItsKey()
    {
        using var pki = new TestCertificates();

        var error = Assert.Throws<PluginConfigException>(() => new TlsCertificateFiles(pki.CrtFile, pki.Directory).Load());

        Assert.StartsWith($"http_tls_key_file '{pki.Directory}' cannot be read: ", error.Message);
    }

    [Fact]
    public void AKeyOfAnotherCertificateIsRejectedNamingBothFiles()
    {
        using var pki = new TestCertificates();

        var error = Assert.Throws<PluginConfigException>(() => new TlsCertificateFiles(pki.CrtFile, pki.OtherKeyFile).Load());

        Assert.Equal($"http_tls_key_file '{pki.OtherKeyFile}' is not the private key of the certificate in http_tls_crt_file '{pki.CrtFile}'", error.Message);
    }

    [Fact]
    public void FilesWithoutPemAreRejectedNamingTheKeyAndFile()
    {
        using var pki = new TestCertificates();
        string text = Path.Combine(pki.Directory, "notes.txt");
        File.WriteAllText(text, "not a certificate\n");

        var crt = Assert.Throws<PluginConfigException>(() => new TlsCertificateFiles(text, pki.KeyFile).Load());
        var key = Assert.Throws<PluginConfigException>(() => new TlsCertificateFiles(pki.CrtFile, text).Load());
        var swapped = Assert.Throws<PluginConfigException>(() => new TlsCertificateFiles(pki.KeyFile, pki.CrtFile).Load());

        Assert.Equal($"http_tls_crt_file '{text}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)", crt.Message);
        Assert.StartsWith($"http_tls_key_file '{text}' holds no usable PEM private key (an unencrypted PKCS#8, RSA or EC key is needed): ", key.Message);
        Assert.StartsWith($"http_tls_crt_file '{pki.KeyFile}' holds no PEM certificate", swapped.Message);
    }
}
