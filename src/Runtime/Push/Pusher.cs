using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using FluentBit.Plugins.Configuration;
using FluentBit.Plugins.Exposition;
using FluentBit.Plugins.Logging;
using FluentBit.Plugins.Native;
using FluentBit.Plugins.SelfMetrics;
using Prometheus;

namespace FluentBit.Plugins.Push;

/// <summary>
/// Pushes an instance's series to one target (remote write, OTLP) every interval, on a thread of its own, so a flush
/// never waits for a push. The delivery rules, the same for every target (README, "Pushing with remote write" and
/// "Pushing with OTLP"):
/// <list type="bullet">
/// <item>Each push is a snapshot taken when it is sent: the exposition a scrape would get at that moment, every
/// sample stamped with that moment.</item>
/// <item>What the target's protocol says to retry (remote write: a 5xx or a 429; OTLP: 429, 502, 503, 504), no
/// connection or no answer within the timeout: retried after a backoff that starts at <see cref="FirstRetry"/> and
/// doubles up to <see cref="MaxBackoff"/>, or after the receiver's <c>Retry-After</c> (up to
/// <see cref="MaxRetryAfter"/>). The retry sends a new snapshot, not the failed one.</item>
/// <item>Any other status (4xx, a redirect, OTLP's other 5xx): the push is dropped and counted, with one rate-limited
/// log line naming the status and the start of the receiver's message; the next push comes at the next interval.</item>
/// <item>An accepted push of which the receiver rejected a part (OTLP's partial success) is counted as such, with one
/// rate-limited log line (at most one an interval) quoting the receiver.</item>
/// <item>The queue holds one snapshot, the newest: series are cumulative (counters, histograms and summaries carry
/// their whole past), so a newer snapshot holds everything an unsent older one would have said, but for the gauges'
/// values in between, which a missed scrape loses too. Memory stays one request however long the receiver is down,
/// and a receiver back after an outage gets no backlog that its out-of-order window would refuse.</item>
/// <item>Exit pushes once more, at once, so the last flushes reach the receiver, bounded by <see cref="FinalPushLimit"/>.</item>
/// </list>
/// </summary>
internal sealed class Pusher : IDisposable
{
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>A longer <c>Retry-After</c> is cut to this: a receiver's bad clock or header must not stop pushes for hours.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The last push's bound at Exit, within Fluent Bit's 5 s shutdown grace: it runs while the endpoint stops
    /// (<c>EndpointLimits.StopLimit</c>, 2 s) after the flushes in flight (normally none).
    /// </summary>
    public static readonly TimeSpan FinalPushLimit = TimeSpan.FromSeconds(2);

    private static readonly string[] FailureLabels = Array.ConvertAll(PushResults.Failures, r => r.LabelValue());

    private readonly IPushTarget _target;
    private readonly PushTargetConfig _config;
    private readonly MetricsExposition _exposition;
    private readonly PushSelfMetrics _metrics;
    private readonly PluginLog _log;
    private readonly PushClient _client;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly LogRateLimiter _rejectedLines = new();
    private readonly LogRateLimiter _retriedLines = new();
    private readonly LogRateLimiter _partialLines;
    private int _failuresInARow;
    private int _disposed;

    public Pusher(IPushTarget target, CollectorRegistry registry, PluginSelfMetrics selfMetrics, PluginLog log, string instanceName)
    {
        _target = target;
        _config = target.Config;
        _exposition = new MetricsExposition(registry, selfMetrics);
        _metrics = selfMetrics.AddPush(target.SelfMetricsName, target.Unit, $"{target.Protocol} receiver", FailureLabels, target.HasPartialSuccess);
        _log = log;
        _client = new PushClient(target);
        // A partial success comes with an accepted push, so at most once an interval; and no more than the other lines' one in 10 s.
        _partialLines = new LogRateLimiter(_config.Interval > LogRateLimiter.DefaultInterval ? _config.Interval : LogRateLimiter.DefaultInterval, clock: null);
        _thread = new Thread(Run) { IsBackground = true, Name = $"{instanceName} {target.SelfMetricsName}" };
    }

    public IPushTarget Target => _target;

    public void Start() => _thread.Start();

    /// <summary>Stops the schedule (cutting a push in flight short) and pushes once more, bounded by <see cref="FinalPushLimit"/>.</summary>
    public void BeginStop()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _stop.Set();
            _abort.Cancel();
        }
    }

    /// <summary>Waits for the last push, up to <see cref="FinalPushLimit"/> and a second more for the thread to end.</summary>
    public void Dispose()
    {
        BeginStop();
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The push cut short returns at once; the last one has FinalPushLimit, and the thread a second to end.
        if (_thread.IsAlive && !_thread.Join(FinalPushLimit + TimeSpan.FromSeconds(1)))
        {
            _log.Warn($"exit went on while the last push to {_config.UrlDisplay} was still running");
            return;
        }

        _client.Dispose();
        _abort.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        // An exception leaving this thread would end Fluent Bit: whatever goes wrong stops the pushes, with a line.
        try
        {
            PushUntilStopped();
        }
        catch (Exception e)
        {
            _log.Error($"pushes to {_config.UrlDisplay} stopped: {e.GetType().Name}: {e.Message}");
        }
    }

    private void PushUntilStopped()
    {
        long next = Stopwatch.GetTimestamp() + Ticks(_config.Interval);
        while (!_stop.Wait(Remaining(next)))
        {
            long start = Stopwatch.GetTimestamp();
            PushOutcome? outcome = Push(_config.Timeout, _abort.Token);
            if (outcome is not PushOutcome done)
            {
                break;
            }

            next = done.Retried ? Stopwatch.GetTimestamp() + Ticks(RetryDelay(done)) : start + Ticks(_config.Interval);
        }

        TimeSpan limit = _config.Timeout < FinalPushLimit ? _config.Timeout : FinalPushLimit;
        if (Push(limit, CancellationToken.None) is { Result: not PushResult.Ok } last)
        {
            _log.Warn($"the last push to {_config.UrlDisplay} at exit failed: {last.Detail}");
        }
    }

    /// <summary>One push of a new snapshot; null when Exit cut it short.</summary>
    private PushOutcome? Push(TimeSpan timeout, CancellationToken abort)
    {
        _metrics.PushStarted();
        int samples = 0;
        PushOutcome outcome;
        try
        {
            ReadOnlyMemory<byte> body = Snapshot(abort, out samples);
            outcome = _client.Send(body, timeout, abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            _metrics.PushAbandoned();
            return null;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or IOException)
        {
            // A bug, not the receiver's doing: the same snapshot would fail again, so it is not retried.
            outcome = PushOutcome.Dropped(PushResult.Rejected, $"the push could not be built: {e.GetType().Name}: {e.Message}");
        }

        Count(outcome, samples);
        return outcome;
    }

    /// <summary>The exposition a scrape would get now, encoded by the target.</summary>
    private ReadOnlyMemory<byte> Snapshot(CancellationToken abort, out int samples)
    {
        ExpositionFormat format = _target.SnapshotFormat;
        MemoryStream exposition = _exposition.SerializeAsync(format, abort).GetAwaiter().GetResult();
        try
        {
            ExpositionSnapshot snapshot = ExpositionParser.Parse(
                exposition.GetBuffer().AsSpan(0, (int)exposition.Length), openMetrics: format == ExpositionFormat.OpenMetricsText);
            return _target.Encode(snapshot, DateTimeOffset.UtcNow, out samples);
        }
        finally
        {
            _exposition.Buffers.Return(exposition);
        }
    }

    private void Count(PushOutcome outcome, int samples)
    {
        if (outcome.Result == PushResult.Ok)
        {
            // Logged before counted: whoever sees the count (a scrape, a test) then finds the line too.
            if (_failuresInARow > 0)
            {
                _log.Info($"{_target.Protocol} pushes to {_config.UrlDisplay} succeed again, after {_failuresInARow} failed");
                _failuresInARow = 0;
            }

            if (outcome.Partial is PartialSuccess partial)
            {
                _log.WriteLimited(
                    FlbLogLevel.Warn, _partialLines, (Pusher: this, Outcome: outcome, Samples: samples),
                    static s => $"{s.Pusher._config.UrlDisplay} accepted a push of {s.Samples} {s.Pusher.UnitText} but rejected {s.Outcome.Partial!.Value.Rejected} of them: {s.Outcome.Partial!.Value.Message}");
            }

            _metrics.PushSucceeded(samples, outcome.Partial?.Rejected ?? 0);
            return;
        }

        if (outcome.Retried)
        {
            _failuresInARow++;
            _log.WriteLimited(
                FlbLogLevel.Warn, _retriedLines, (Pusher: this, Outcome: outcome, Samples: samples),
                static s => $"a push of {s.Samples} {s.Pusher.UnitText} to {s.Pusher._config.UrlDisplay} failed ({s.Outcome.Result.LabelValue()}): {s.Outcome.Detail}; retrying with a newer snapshot in {s.Pusher.RetryDelay(s.Outcome).TotalSeconds:0.###} s");
        }
        else
        {
            _log.WriteLimited(
                FlbLogLevel.Error, _rejectedLines, (Pusher: this, Outcome: outcome, Samples: samples),
                static s => $"{s.Pusher._config.UrlDisplay} refused a push of {s.Samples} {s.Pusher.UnitText}: {s.Outcome.Detail}; the push is dropped, not retried");
        }

        _metrics.PushFailed(outcome.Result.LabelValue(), samples);
    }

    /// <summary>What a push carries, in a log line: <c>samples</c>, <c>data points</c>.</summary>
    private string UnitText => _target.Unit.Replace('_', ' ');

    private TimeSpan RetryDelay(PushOutcome outcome) => RetryDelay(outcome.RetryAfter, _failuresInARow);

    /// <summary>
    /// The receiver's <c>Retry-After</c> (at most <see cref="MaxRetryAfter"/>), else the backoff of
    /// <paramref name="failuresInARow"/> failures: <see cref="FirstRetry"/> doubled per failure, at most
    /// <see cref="MaxBackoff"/>. A Retry-After of zero or a date already past gets the backoff, as Prometheus does: a
    /// receiver answering that to every push would otherwise be pushed to in a loop. A function of its arguments alone,
    /// so that every cap is tested without waiting.
    /// </summary>
    internal static TimeSpan RetryDelay(TimeSpan? retryAfter, int failuresInARow)
    {
        if (retryAfter is TimeSpan asked && asked > TimeSpan.Zero)
        {
            return asked > MaxRetryAfter ? MaxRetryAfter : asked;
        }

        double seconds = FirstRetry.TotalSeconds * Math.Pow(2, Math.Min(Math.Max(failuresInARow - 1, 0), 16));
        return seconds > MaxBackoff.TotalSeconds ? MaxBackoff : TimeSpan.FromSeconds(seconds);
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static TimeSpan Remaining(long timestamp)
    {
        long left = timestamp - Stopwatch.GetTimestamp();
        return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / Stopwatch.Frequency);
    }
}
