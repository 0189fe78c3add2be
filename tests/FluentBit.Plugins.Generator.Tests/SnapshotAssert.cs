using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace FluentBit.Plugins.Generator.Tests;

/// <summary>
/// Compares generated source with a file under Snapshots/, named as the generated file plus <c>.txt</c>
/// (<c>X.FluentBitPlugin.g.cs.txt</c>, as System.Text.Json's generator keeps its Baselines): the build
/// neither compiles nor analyzes a snapshot, so the test project needs no item to keep them out. A missing
/// snapshot is written and the test fails, so a new one is reviewed before it is committed; UPDATE_SNAPSHOTS=1
/// rewrites changed ones and fails those tests too (as Verify does), so a run with the variable left set is
/// never green: unchanged snapshots still pass. .ci/run refuses to run with it set.
/// </summary>
internal static class SnapshotAssert
{
    /// <param name="name">The snapshot's name without <c>.txt</c>, e.g. <c>CpuSample.FluentBitPlugin.g.cs</c>.</param>
    public static void Matches(string name, string actual, [CallerFilePath] string testFile = "")
    {
        name += ".txt";
        string path = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots", name);
        actual = actual.Replace("\r\n", "\n");
        bool update = Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1";
        if (!File.Exists(path))
        {
            File.WriteAllText(path, actual);
            Assert.Fail($"snapshot {name} was missing and has been written to {path}; review it and run the tests again");
        }

        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (update && expected != actual)
        {
            File.WriteAllText(path, actual);
            Assert.Fail($"snapshot {name} differed and has been rewritten (UPDATE_SNAPSHOTS=1); review the diff and run the tests again without it");
        }

        Assert.Equal(expected, actual);
    }
}
