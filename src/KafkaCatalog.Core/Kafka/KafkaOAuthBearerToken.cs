namespace KafkaCatalog.Core.Kafka;

/// <summary>An OAUTHBEARER token handed to librdkafka.</summary>
public sealed record KafkaOAuthBearerToken(string Value, DateTimeOffset ExpiresAt, string Principal)
{
    public IReadOnlyDictionary<string, string>? Extensions { get; init; }

    /// <summary>Never shows the token.</summary>
    public override string ToString() => $"OAuthBearerToken(principal={Principal}, expires={ExpiresAt:O})";
}

/// <summary>Fetches an OAUTHBEARER token (the connections area's token source plugs in here).</summary>
public delegate Task<KafkaOAuthBearerToken> KafkaOAuthBearerTokenProvider(CancellationToken cancellationToken);
