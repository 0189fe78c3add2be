using System;
using FluentBit.Plugins.Native;

namespace FluentBit.Plugins.Logging;

/// <summary>
/// Writes through Fluent Bit's <c>log_print</c>, asking <c>output_log_check</c> first so the
/// instance's <c>log_level</c> is honoured and suppressed messages cost nothing to format.
/// </summary>
internal sealed class PluginLog
{
    private readonly FlbOutputInstance _instance;
    private readonly string _prefix;
    private readonly byte[] _file;
    private readonly Action<FlbLogLevel, string>? _sink;

    /// <summary>A log written by a test kit instead of Fluent Bit: every line up to info, prefixed as Fluent Bit prints it.</summary>
    public PluginLog(string pluginName, Action<FlbLogLevel, string> sink)
        : this(default, pluginName)
    {
        _sink = sink;
    }

    public PluginLog(FlbOutputInstance instance, string pluginName)
    {
        _instance = instance;
        _prefix = "[" + pluginName + "] ";
        _file = System.Text.Encoding.UTF8.GetBytes(pluginName + "\0");
    }

    public bool IsEnabled(FlbLogLevel level)
    {
        if (_sink is not null || !_instance.CanPrint)
        {
            return level <= FlbLogLevel.Info;
        }

        return _instance.IsLogged(level);
    }

    public void Error(string message) => Write(FlbLogLevel.Error, message);

    public void Warn(string message) => Write(FlbLogLevel.Warn, message);

    public void Info(string message) => Write(FlbLogLevel.Info, message);

    public void Debug(string message) => Write(FlbLogLevel.Debug, message);

    /// <summary>
    /// Writes a line of a kind that can repeat (a line per chunk or record otherwise), at most once per the
    /// limiter's interval; <paramref name="message"/> is only called for a line that is written.
    /// </summary>
    public void WriteLimited<TState>(FlbLogLevel level, LogRateLimiter limiter, TState state, Func<TState, string> message)
    {
        if (IsEnabled(level) && limiter.TryAcquire(out long suppressed))
        {
            Write(level, limiter.Annotate(message(state), suppressed));
        }
    }

    public void Write(FlbLogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        string line = _prefix + message;
        if (_sink is not null)
        {
            _sink(level, line);
            return;
        }

        if (!_instance.CanPrint)
        {
            Console.Error.WriteLine($"[{level.ToString().ToLowerInvariant()}] {line}");
            return;
        }

        _instance.Print(level, _file, line);
    }
}
