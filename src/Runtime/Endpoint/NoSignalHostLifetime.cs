using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace FluentBit.Plugins.Endpoint;

/// <summary>
/// Replaces the generic host's default lifetime, which registers SIGINT, SIGQUIT and SIGTERM handlers that
/// cancel the signal and stop only the host: inside Fluent Bit, Fluent Bit would never see its stop signal.
/// This lifetime watches nothing; the endpoint starts in Init and stops in Exit, when Fluent Bit says so.
/// </summary>
internal sealed class NoSignalHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
