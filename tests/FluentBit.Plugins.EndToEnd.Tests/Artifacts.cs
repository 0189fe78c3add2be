using System;
using System.IO;
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

    public static string CpuExporter => Require(Path.Combine(Root, "plugins", "cpu_exporter", "cpu_exporter.so"));

    public static string AccessLogExporter => Require(Path.Combine(Root, "plugins", "access_log_exporter", "access_log_exporter.so"));

    public static string ShapesExporter => Require(Path.Combine(Root, "plugins", "shapes_exporter", "shapes_exporter.so"));

    public static string StackExporter => Require(Path.Combine(Root, "plugins", "stack_exporter", "stack_exporter.so"));

    public static string TestExporter => Require(Path.Combine(Root, "plugins", "test_exporter", "test_exporter.so"));

    public static string Host => Require(Path.Combine(Vectors.RepoRoot(), "tools", "flb-host", "build", "flb-host"));

    private static string Require(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"{path} is missing: run ./test.sh, which publishes the plugins and builds the host before running the tests", path);
}
