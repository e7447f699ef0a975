using System.Net;
using System.Text;
using System.Text.Json;
using KafkaCatalog.Core.Connections.OAuth;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Tests.Connections.OAuth;

internal static class Jwt
{
    public static string Create(object payload) =>
        $"{Encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}")}.{Encode(JsonSerializer.Serialize(payload))}.c2lnbmF0dXJl";

    private static string Encode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

internal static class OAuthTest
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static KafkaOAuthOptions Options(Uri? endpoint = null, OAuthClientAuthentication auth = OAuthClientAuthentication.ClientSecretPost, string? scope = "kafka") => new()
    {
        TokenEndpoint = endpoint ?? new Uri("https://idp.example.com/token"),
        ClientId = "kafka-client",
        ClientSecret = Secrets.Secure(Secrets.ClientSecret),
        Scope = scope,
        ClientAuthentication = auth,
    };

    /// <summary>Retries without waiting, so tests never sleep.</summary>
    public static Polly.ResiliencePipeline<HttpResponseMessage> NoWaitRetry(int retries = 3) =>
        OAuthRetry.Create(new OAuthRetryOptions { MaxRetryAttempts = retries, BaseDelay = TimeSpan.Zero, UseJitter = false, MaxDelay = TimeSpan.Zero });
}

/// <summary>Answers requests from a script and records what was sent.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, Task<HttpResponseMessage>>> _script = new();

    public List<(HttpRequestMessage Request, string Body)> Requests { get; } = new();

    public ScriptedHandler Then(HttpStatusCode status, string body, string mediaType = "application/json")
    {
        _script.Enqueue(_ => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) }));
        return this;
    }

    public ScriptedHandler Then(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer)
    {
        _script.Enqueue(answer);
        return this;
    }

    public ScriptedHandler ThenThrow(Exception exception)
    {
        _script.Enqueue(_ => Task.FromException<HttpResponseMessage>(exception));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request, body));
        }

        Func<HttpRequestMessage, Task<HttpResponseMessage>> next;
        lock (_script)
        {
            if (_script.Count == 0)
            {
                throw new InvalidOperationException("The test script has no more responses.");
            }

            next = _script.Dequeue();
        }

        return await next(request);
    }
}
