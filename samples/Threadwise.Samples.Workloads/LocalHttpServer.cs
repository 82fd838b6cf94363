using System.Net;
using System.Net.Sockets;

namespace Threadwise.Samples.Workloads;

/// <summary>
/// A real local service for the I/O-bound workloads: an HTTP server on 127.0.0.1 whose
/// <c>/delay?ms=N</c> endpoint answers after N milliseconds, without holding a thread while it waits.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public LocalHttpServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync(_stop.Token);
    }

    public int Port { get; }

    public Uri DelayUri(TimeSpan delay) => new($"http://127.0.0.1:{Port}/delay?ms={(int)delay.TotalMilliseconds}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // the listener was stopped under a pending GetContextAsync: that is how serving ends
        }

        _listener.Close();
        _stop.Dispose();
    }

    private async Task ServeAsync(CancellationToken cancellationToken)
    {
        var requests = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync().WaitAsync(cancellationToken);
            requests.Add(RespondAsync(context, cancellationToken));
            requests.RemoveAll(r => r.IsCompleted);
        }

        await Task.WhenAll(requests);
    }

    private static async Task RespondAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var response = context.Response;
        var milliseconds = int.TryParse(context.Request.QueryString["ms"], out var ms) ? ms : 0;
        await Task.Delay(milliseconds, cancellationToken);
        var body = "ok"u8.ToArray();
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body, cancellationToken);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
