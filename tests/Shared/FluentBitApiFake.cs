using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using FluentBit.Plugins.Native;

namespace FluentBit.Plugins.Testing;

/// <summary>
/// The one fake of Fluent Bit's api table (<c>struct flb_api</c>) for tests that call a plugin's Init in this process:
/// it behaves as Fluent Bit 5.1.1 does for a proxy output. <c>output_get_property</c> matches keys case-insensitively,
/// the first setting of a key wins, an empty value reads as NULL, and the keys Fluent Bit consumes itself (match,
/// workers, log_level, host, port, tls.* ...) never reach the plugin; <c>output_log_check</c> enables the levels up to
/// the instance's <c>log_level</c> (default info); <c>log_print</c> keeps every line. The table's other entries stay
/// NULL: real Fluent Bit's crash when called without an instance, so a plugin must not call them.
/// </summary>
internal static unsafe class FluentBitApiFake
{
    /// <summary>Fluent Bit's log levels by number, as log_level names them (0 is off).</summary>
    public static readonly string[] LogLevelNames = ["off", "error", "warn", "info", "debug", "trace"];

    /// <summary>Keys Fluent Bit consumes for every output (flb_output.c); with every key starting with "tls".</summary>
    public static readonly string[] Withheld = ["match", "match_regex", "alias", "log_level", "log_suppress_interval", "host", "port", "retry_limit", "workers", "storage.total_limit_size"];

    private static readonly ConcurrentDictionary<nint, Instance> Instances = new();
    private static long s_next;

    /// <summary>The table to put in <c>flbgo_output_plugin.api</c>.</summary>
    public static FlbApi* Table { get; } = Create();

    /// <summary>Every log_print call: the "file" argument (the runtime passes the instance's name) and "[level] message".</summary>
    public static ConcurrentQueue<(string File, string Line)> Lines { get; } = new();

    /// <summary>A new output instance configured with <paramref name="properties"/>; its id goes in <c>o_ins</c>.</summary>
    public static nint Add(params (string Key, string Value)[] properties)
    {
        nint id = (nint)Interlocked.Increment(ref s_next);
        Instances[id] = new Instance(properties);
        return id;
    }

    /// <summary>Frees what <see cref="Add"/> allocated.</summary>
    public static void Remove(nint id)
    {
        if (Instances.TryRemove(id, out Instance? instance))
        {
            instance.Free();
        }
    }

    /// <summary>The keys the plugin asked for, in order (withheld ones included).</summary>
    public static IReadOnlyCollection<string> Asked(nint id) => Instances[id].Asked.ToArray();

    /// <summary>The instance's log level as Fluent Bit sets it from log_level (3, info, when unset).</summary>
    public static int LogLevel(nint id) => Instances[id].LogLevel;

    private static FlbApi* Create()
    {
        var api = (FlbApi*)NativeMemory.AllocZeroed((nuint)sizeof(FlbApi));
        api->OutputGetProperty = &GetProperty;
        api->LogPrint = &LogPrint;
        api->OutputLogCheck = &LogCheck;
        return api;
    }

    [UnmanagedCallersOnly]
    private static byte* GetProperty(byte* key, void* outputInstance)
    {
        if (!Instances.TryGetValue((nint)outputInstance, out Instance? instance))
        {
            return null;
        }

        string name = Marshal.PtrToStringUTF8((nint)key)!;
        instance.Asked.Enqueue(name);
        bool withheld = Array.Exists(Withheld, w => w.Equals(name, StringComparison.OrdinalIgnoreCase))
            || name.StartsWith("tls", StringComparison.OrdinalIgnoreCase);
        return withheld ? null : (byte*)instance.Value(name);
    }

    // log_print is variadic in C; the runtime always passes ("%s", message), which arrive in registers as here.
    [UnmanagedCallersOnly]
    private static void LogPrint(int level, byte* file, int line, byte* format, byte* message) =>
        Lines.Enqueue((Marshal.PtrToStringUTF8((nint)file) ?? "", $"[{LogLevelNames[Math.Clamp(level, 0, LogLevelNames.Length - 1)]}] {Marshal.PtrToStringUTF8((nint)message)}"));

    [UnmanagedCallersOnly]
    private static int LogCheck(void* outputInstance, int level) =>
        Instances.TryGetValue((nint)outputInstance, out Instance? instance) && level <= instance.LogLevel ? 1 : 0;

    private sealed class Instance
    {
        private readonly Dictionary<string, nint> _values = new(StringComparer.OrdinalIgnoreCase);

        public Instance((string Key, string Value)[] properties)
        {
            foreach ((string key, string value) in properties)
            {
                if (key.Equals("log_level", StringComparison.OrdinalIgnoreCase) && !_values.ContainsKey(key))
                {
                    LogLevel = Math.Max(0, Array.IndexOf(LogLevelNames, value));
                }

                // Fluent Bit hands over the first value of a key repeated in one [OUTPUT] (flb_kv_get_key_value).
                _values.TryAdd(key, value.Length == 0 ? 0 : Marshal.StringToCoTaskMemUTF8(value));
            }
        }

        public int LogLevel { get; } = 3;

        public ConcurrentQueue<string> Asked { get; } = new();

        public nint Value(string key) => _values.TryGetValue(key, out nint value) ? value : 0;

        public void Free()
        {
            foreach (nint value in _values.Values)
            {
                Marshal.FreeCoTaskMem(value);
            }
        }
    }
}
