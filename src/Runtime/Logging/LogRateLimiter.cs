using System;
using System.Threading;

namespace FluentBit.Plugins.Logging;

/// <summary>
/// Lets one kind of repeated log line through at most once per <see cref="Interval"/>, from any number of threads
/// without locking: a flood of damaged chunks or failing records gives a line every 10 s, each saying how many
/// like it were left out, never a line per chunk or record. Nothing is formatted for a line that is left out.
/// </summary>
internal sealed class LogRateLimiter
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly long _intervalMilliseconds;
    private readonly Func<long> _clock;
    private long _nextMilliseconds = long.MinValue;
    private long _suppressed;

    public LogRateLimiter()
        : this(DefaultInterval, clock: null)
    {
    }

    /// <param name="interval">The least time between two lines.</param>
    /// <param name="clock">Milliseconds on a monotonic clock, for tests; null uses <see cref="Environment.TickCount64"/>.</param>
    public LogRateLimiter(TimeSpan interval, Func<long>? clock)
    {
        Interval = interval;
        _intervalMilliseconds = (long)interval.TotalMilliseconds;
        _clock = clock ?? (static () => Environment.TickCount64);
    }

    public TimeSpan Interval { get; }

    /// <summary>
    /// Whether a line may be written now. If so, <paramref name="suppressed"/> is how many were left out since the
    /// last one (see <see cref="Annotate"/>); if not, this one is counted as left out.
    /// </summary>
    public bool TryAcquire(out long suppressed)
    {
        long now = _clock();
        long next = Volatile.Read(ref _nextMilliseconds);
        if (now >= next && Interlocked.CompareExchange(ref _nextMilliseconds, now + _intervalMilliseconds, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }

    /// <summary>The message, followed by how many like it were left out since the last line, if any.</summary>
    public string Annotate(string message, long suppressed) => suppressed == 0
        ? message
        : $"{message} ({suppressed} more like it since the last such line, which are logged at most every {Interval.TotalSeconds:0.#} s)";
}
