using System;
using System.Collections.Generic;
using FluentBit.Plugins.TestKit;

namespace FluentBit.Plugins.Testing;

/// <summary>The tests' events at fixed times, written with the test kit's <see cref="ChunkBuilder"/> (the one chunk writer).</summary>
public static class TestEvents
{
    /// <summary>The second the tests' events are stamped from.</summary>
    public const long Epoch = 1_700_000_000;

    /// <summary>Adds an event at <see cref="Epoch"/> plus <paramref name="second"/>, half a second in.</summary>
    public static ChunkBuilder Event(this ChunkBuilder chunk, object? body, Dictionary<string, object?>? metadata = null, long second = 0) =>
        chunk.Add(body, DateTimeOffset.FromUnixTimeSeconds(Epoch + second).AddMilliseconds(500), metadata ?? new Dictionary<string, object?>());
}
