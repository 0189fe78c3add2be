using System;
using Xunit;

namespace FluentBit.Plugins.Runtime.Tests;

internal static class Allocations
{
    public const int Warmups = 50;
    public const int Runs = 100;

    /// <summary>
    /// Runs <paramref name="action"/> <see cref="Warmups"/> times (first calls fill caches and lazy statics), then
    /// <see cref="Runs"/> times asserting that this thread allocated nothing. This is a correctness property (a count
    /// of bytes), not a timing: the project turns tiered compilation off, so no tier-up can land in the measured runs
    /// however late a loaded machine would have scheduled it.
    /// </summary>
    public static void AssertNone(Action action)
    {
        for (int i = 0; i < Warmups; i++)
        {
            action();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Runs; i++)
        {
            action();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
