using System;
using System.Threading;

namespace FluentBit.Plugins.Hosting;

/// <summary>
/// Threads of one instance's own that run the flushes of a plugin with user code (an <c>OnRecord</c> hook), on an
/// 8 MiB stack with a guard page, instead of Fluent Bit's coroutine stack of 24 to 64 KiB without one. The Fluent
/// Bit thread hands the chunk to an idle thread and waits for its result, so a flush still returns only once the
/// chunk has been applied, and <c>workers N</c> still flush N chunks at once: a thread is added when every
/// thread is busy, up to <see cref="MaxThreads"/>.
/// </summary>
/// <remarks>
/// On a thread .NET created, the runtime knows the stack's bounds: a hook that recurses too deep hits the guard
/// page and the runtime stops the process with "Stack overflow" and the managed stack, where on Fluent Bit's
/// stack it would silently overwrite the memory below it; and <c>RuntimeHelpers.EnsureSufficientExecutionStack</c>
/// (which Regex and System.Text.Json use to refuse input too deep for the stack) gives right answers. The cost is
/// a hand-over and a wake-up per flush, measured in the README; flushes without a hook stay on Fluent Bit's stack.
/// </remarks>
internal sealed class FlushThreads : IDisposable
{
    /// <summary>The stack of each thread: the size of a main thread's; only the pages a hook touches are committed.</summary>
    public const int StackSize = 8 * 1024 * 1024;

    /// <summary>Far above any <c>workers</c> setting; a flush that finds every thread busy past it is retried.</summary>
    public const int MaxThreads = 64;

    private readonly Func<nint, nuint, nint, int> _flush;
    private readonly string _name;
    private readonly Worker?[] _workers = new Worker?[MaxThreads];
    private readonly object _lock = new();
    private int _count;
    private bool _disposed;

    /// <param name="flush">Runs one flush: the chunk, its size and its tag, as Fluent Bit passed them; returns the flush's result.</param>
    /// <param name="name">The instance's name, for the threads' names.</param>
    public FlushThreads(Func<nint, nuint, nint, int> flush, string name)
    {
        _flush = flush;
        _name = name;
    }

    /// <summary>The threads started so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The threads still alive (none once stopped).</summary>
    public int Alive
    {
        get
        {
            int alive = 0;
            for (int i = 0; i < Count; i++)
            {
                alive += _workers[i]!.IsAlive ? 1 : 0;
            }

            return alive;
        }
    }

    /// <summary>
    /// Runs the flush on an idle thread of this instance (started if every one is busy) and returns its result;
    /// false, without running it, when no thread could be had (the process is out of threads or memory, or the
    /// instance has exited): nothing of the chunk was applied then.
    /// </summary>
    public bool TryRun(nint data, nuint size, nint tag, out int result)
    {
        Worker? worker = Claim();
        if (worker is null)
        {
            result = 0;
            return false;
        }

        try
        {
            result = worker.Run(data, size, tag);
            return true;
        }
        finally
        {
            Volatile.Write(ref worker.Busy, 0);
        }
    }

    /// <summary>Stops every thread, each within 2 s; they are idle when no flush is in flight.</summary>
    public void Dispose() => Stop(TimeSpan.FromSeconds(2));

    /// <summary>Stops every thread, each within <paramref name="timeout"/>; no flush may be in flight.</summary>
    public void Stop(TimeSpan timeout)
    {
        lock (_lock)
        {
            _disposed = true;
        }

        for (int i = 0; i < Count; i++)
        {
            _workers[i]!.Stop(timeout);
        }
    }

    private Worker? Claim()
    {
        int count = Count;
        for (int i = 0; i < count; i++)
        {
            Worker worker = _workers[i]!;
            if (Volatile.Read(ref worker.Busy) == 0 && Interlocked.CompareExchange(ref worker.Busy, 1, 0) == 0)
            {
                return worker;
            }
        }

        lock (_lock)
        {
            if (_disposed || _count == MaxThreads)
            {
                return null;
            }

            Worker worker;
            try
            {
                worker = new Worker(_flush, $"{_name} flush {_count}");
            }
            catch (Exception e) when (e is OutOfMemoryException or ThreadStartException)
            {
                return null;
            }

            _workers[_count] = worker;
            Volatile.Write(ref _count, _count + 1);
            return worker;
        }
    }

    private sealed class Worker
    {
        // Claimed (1) by the flush that hands this thread its chunk; starts claimed by the flush that started it.
        public int Busy = 1;

        private readonly ManualResetEventSlim _go = new(false);
        private readonly ManualResetEventSlim _done = new(false);
        private readonly Func<nint, nuint, nint, int> _flush;
        private readonly Thread _thread;
        private nint _data;
        private nuint _size;
        private nint _tag;
        private int _result;
        private volatile bool _stop;

        public Worker(Func<nint, nuint, nint, int> flush, string name)
        {
            _flush = flush;
            _thread = new Thread(Loop, StackSize) { IsBackground = true, Name = name };
            _thread.Start();
        }

        public bool IsAlive => _thread.IsAlive;

        public int Run(nint data, nuint size, nint tag)
        {
            _data = data;
            _size = size;
            _tag = tag;
            _done.Reset();
            _go.Set();
            _done.Wait();
            return _result;
        }

        public void Stop(TimeSpan timeout)
        {
            _stop = true;
            _go.Set();
            _thread.Join(timeout);
        }

        private void Loop()
        {
            while (true)
            {
                _go.Wait();
                _go.Reset();
                if (_stop)
                {
                    return;
                }

                // The flush is a guard that never throws; this catch only keeps the thread alive if it ever did.
                try
                {
                    _result = _flush(_data, _size, _tag);
                }
                catch (Exception)
                {
                    _result = Native.FlbConstants.Error;
                }

                _done.Set();
            }
        }
    }
}
