using System;
using System.IO;
using System.Linq;
using FluentBit.Plugins.Testing;

namespace FluentBit.Plugins.EndToEnd.Tests;

/// <summary>
/// The published plugins and the host these tests run. ./test.sh builds them before `dotnet test`;
/// FLUENTBIT_PLUGINS_ARTIFACTS points elsewhere if they were built somewhere else.
/// </summary>
public static class Artifacts
{

    public static string Root { get; } = Environment.GetEnvironmentVariable("FLUENTBIT_PLUGINS_ARTIFACTS")
        ?? Path.Combine(Vectors.RepoRoot(), "artifacts");

    public static string CpuExporter => Plugin("cpu_exporter", "samples/CpuExporter");

    public static string AccessLogExporter => Plugin("access_log_exporter", "samples/AccessLogExporter");

    public static string SpanMetrics => Plugin("span_metrics", "samples/SpanMetrics");

    public static string ShapesExporter => Plugin("shapes_exporter", "tests/Plugins/ShapesExporter");

    public static string StackExporter => Plugin("stack_exporter", "tests/Plugins/StackExporter");

    public static string TestExporter => Plugin("test_exporter", "tests/Plugins/TestExporter");

    /// <summary>The samples published for linux-arm64 (<c>artifacts/plugins-arm64/NAME</c>), for the arm64 check under qemu-user.</summary>
    public static string Arm64CpuExporter => Plugin("cpu_exporter", "samples/CpuExporter", "plugins-arm64", "-r linux-arm64 ");

    public static string Arm64AccessLogExporter => Plugin("access_log_exporter", "samples/AccessLogExporter", "plugins-arm64", "-r linux-arm64 ");

    public static string Host => Fresh(
        Require(Path.Combine(Vectors.RepoRoot(), "tools", "flb-host", "build", "flb-host")),
        "make -C tools/flb-host",
        Path.Combine(Vectors.RepoRoot(), "tools", "flb-host", "src"));

    /// <summary>
    /// A published plugin, refused when any source it is built from (the runtime, the generator, the shared files,
    /// the build props, the plugin's own project) changed after it was published: `dotnet test` alone never runs an
    /// old binary against new code.
    /// </summary>
    private static string Plugin(string name, string project, string folder = "plugins", string runtime = "")
    {
        string repo = Vectors.RepoRoot();
        string path = Require(Path.Combine(Root, folder, name, name + ".so"));
        return Fresh(path, $"dotnet publish {project} -c Release {runtime}-o artifacts/{folder}/{name} (./test.sh publishes them all)",
            Path.Combine(repo, "src", "Runtime"), Path.Combine(repo, "src", "Generator"), Path.Combine(repo, "src", "Shared"),
            Path.Combine(repo, project), Path.Combine(repo, "Directory.Build.props"), Path.Combine(repo, "Directory.Packages.props"));
    }

    private static string Require(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"{path} is missing: run ./test.sh, which publishes the plugins and builds the host before running the tests", path);

    /// <summary>The binary, or a failure naming the newest source that changed after it was built and the command that rebuilds it.</summary>
    private static string Fresh(string binary, string rebuild, params string[] sources)
    {
        if (Environment.GetEnvironmentVariable("FLUENTBIT_PLUGINS_ARTIFACTS") is not null)
        {
            return binary; // built elsewhere, on purpose: their sources are not these
        }

        DateTime built = File.GetLastWriteTimeUtc(binary);
        FileInfo? newest = sources
            .SelectMany(s => File.Exists(s) ? [new FileInfo(s)] : Directory.Exists(s) ? new DirectoryInfo(s).EnumerateFiles("*", SearchOption.AllDirectories) : [])
            .Where(f => !f.FullName.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.FullName.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .MaxBy(f => f.LastWriteTimeUtc);
        return newest is null || newest.LastWriteTimeUtc <= built
            ? binary
            : throw new InvalidOperationException($"{binary} is older than {newest.FullName} (changed {newest.LastWriteTimeUtc:u}, built {built:u}): rebuild it with {rebuild} before testing it");
    }
}
