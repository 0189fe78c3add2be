using System;
using System.IO;
using System.Runtime.CompilerServices;
using Xunit;

namespace FluentBit.Plugins.Generator.Tests;

/// <summary>
/// Compares generated source with a file under Snapshots/. A missing snapshot is written and the test
/// fails, so a new one is reviewed before it is committed; UPDATE_SNAPSHOTS=1 rewrites changed ones.
/// </summary>
internal static class SnapshotAssert
{
    public static void Matches(string name, string actual, [CallerFilePath] string testFile = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots", name);
        actual = actual.Replace("\r\n", "\n");
        bool update = Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1";
        if (!File.Exists(path) || update)
        {
            File.WriteAllText(path, actual);
            Assert.True(update, $"snapshot {name} was missing and has been written to {path}; review it and run the tests again");
            return;
        }

        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        Assert.Equal(expected, actual);
    }
}
