using System.Globalization;
using Confluent.Kafka;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Kafka.Messages;

namespace KafkaCatalog.Core.Kafka;

/// <summary>
/// The one place that turns a <see cref="KafkaConnection"/> into Confluent.Kafka configs and
/// clients. One admin client is built lazily and shared by every call on the connection (it is
/// thread-safe); consumers and producers are built per use and disposed by the caller.
/// librdkafka's log and error callbacks go to the attached <see cref="IOperationSink"/>s as
/// verbose lines, never to the console.
/// </summary>
public sealed class KafkaClientFactory : IDisposable
{
    private readonly KafkaClientLog _log = new();
    private readonly Lazy<IAdminClient> _admin;
    private readonly Lazy<ConsumerHandleAdmin> _groupAdmin;
    private readonly NativeCallGate _adminGate = new();
    private readonly KafkaOAuthBearerTokenProvider? _oauthTokenProvider;
    private volatile Error? _lastClientError;
    private volatile Error? _lastSecurityError;
    private TaskCompletionSource<Error> _nextSecurityError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    public KafkaClientFactory(KafkaConnection connection, KafkaOAuthBearerTokenProvider? oauthTokenProvider = null)
    {
        Connection = connection ?? throw new ArgumentNullException(nameof(connection));
        _oauthTokenProvider = oauthTokenProvider ?? FromTokenSource(connection);
        _admin = new Lazy<IAdminClient>(BuildAdminClient, LazyThreadSafetyMode.ExecutionAndPublication);
        _groupAdmin = new Lazy<ConsumerHandleAdmin>(() => new ConsumerHandleAdmin(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public KafkaConnection Connection { get; }

    public string BootstrapServers => Connection.BootstrapServers;

    /// <summary>Timeout of one request (and of one metadata call).</summary>
    public TimeSpan RequestTimeout => Connection.GetOptions().RequestTimeout;

    /// <summary>The last error librdkafka reported through the error callback (e.g. all brokers down).</summary>
    public Error? LastClientError => _lastClientError;

    /// <summary>
    /// Completes with the next authentication or TLS failure librdkafka reports after this call
    /// (a wrong password or an untrusted certificate: the request itself would only time out).
    /// </summary>
    internal Task<Error> NextSecurityErrorAsync() => Volatile.Read(ref _nextSecurityError).Task;

    /// <summary>The shared admin client of this connection (built on first use).</summary>
    public IAdminClient AdminClient
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _admin.Value;
        }
    }

    /// <summary>
    /// The admin client for consumer-group coordinator calls (describe, committed offsets, offset
    /// commits and deletes, group deletes): admin calls on the handle of a consumer that never
    /// subscribes (a throwaway group.id that never exists on the cluster). librdkafka (2.15.1, 2.16.0)
    /// parses OffsetFetch and OffsetCommit answers with the consumer's own code, which on a coordinator
    /// error (the coordinator moved, a broker restarted) asks the handle's consumer group to look its
    /// coordinator up again; on the producer handle of <see cref="AdminClient"/> there is no consumer
    /// group and the process dies (SIGSEGV in rd_kafka_cgrp_op, seen with the chaos probe). A thread of
    /// its own polls the consumer so that its log, error and OAUTHBEARER refresh callbacks run.
    /// </summary>
    public IAdminClient GroupAdminClient
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _groupAdmin.Value.Admin;
        }
    }

    /// <summary>
    /// Metadata (every topic, or one topic) through the shared admin client. librdkafka's metadata
    /// call blocks for up to the request timeout: it runs on its own thread, the returned task ends
    /// as soon as <paramref name="cancellationToken"/> is cancelled, and the client is disposed only
    /// after the call returned (<see cref="NativeCallGate"/>).
    /// </summary>
    public Task<Metadata> GetMetadataAsync(string? topic, CancellationToken cancellationToken)
    {
        var admin = AdminClient;
        var timeout = RequestTimeout;
        return _adminGate.RunAsync(() => topic is null ? admin.GetMetadata(timeout) : admin.GetMetadata(topic, timeout), cancellationToken);
    }

    /// <summary>Routes librdkafka log lines and client errors to <paramref name="sink"/> until disposed.</summary>
    public IDisposable AttachSink(IOperationSink sink)
    {
        return _log.Attach(sink);
    }

    /// <summary>
    /// An admin config. allow.auto.create.topics is off unless set by -Property: librdkafka's admin client is a producer
    /// underneath, whose default is on, so asking for one topic's metadata (the existence checks of publish and receive)
    /// would create a misspelled topic on brokers with auto.create.topics.enable=true, Kafka's default.
    /// enable.sparse.connections is off unless set by -Property: an admin tool talks to every broker (group listings,
    /// offsets per leader) and librdkafka's sparse mode delays the first request of a new client by about 50 ms.
    /// </summary>
    public AdminClientConfig CreateAdminConfig()
    {
        var properties = BaseProperties(KafkaClientRole.Admin);
        properties.TryAdd("allow.auto.create.topics", "false");
        properties.TryAdd("enable.sparse.connections", "false");
        return new(properties);
    }

    /// <summary>
    /// A consumer config that never commits. Confluent.Kafka insists on a group.id; without an
    /// explicit <paramref name="groupId"/> a throwaway one is used, and since callers only
    /// Assign (never Subscribe) and nothing is committed, that group never exists on the cluster.
    /// </summary>
    public ConsumerConfig CreateConsumerConfig(string? groupId = null, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var properties = BaseProperties(KafkaClientRole.Consumer);
        properties["group.id"] = groupId ?? "kafkacatalog-reader-" + Guid.NewGuid().ToString("N");
        properties["enable.auto.commit"] = "false";
        properties["enable.auto.offset.store"] = "false";
        properties["allow.auto.create.topics"] = "false";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            properties[key] = value;
        }

        return new ConsumerConfig(properties);
    }

    /// <summary>
    /// A producer config: request.timeout.ms and (unless set by -Property) message.timeout.ms follow the request timeout;
    /// allow.auto.create.topics is off unless set by -Property (publishing never creates a topic). The partitioner is
    /// <paramref name="partitioner"/> (-Partitioner), else the connection's own <c>partitioner</c> property, else
    /// murmur2_random, so keys land where the Java client, kafka-python and Mage put them (<see cref="KafkaPartitioners"/>).
    /// </summary>
    /// <exception cref="KafkaCatalogException">PartitionerInvalid.</exception>
    public ProducerConfig CreateProducerConfig(string? partitioner = null)
    {
        var properties = BaseProperties(KafkaClientRole.Producer);
        properties.TryAdd("allow.auto.create.topics", "false");
        if (!properties.ContainsKey("message.timeout.ms"))
        {
            properties["message.timeout.ms"] = Milliseconds(RequestTimeout);
        }

        properties[KafkaPartitioners.PropertyName] = KafkaPartitioners.Resolve(partitioner, properties);
        return new ProducerConfig(properties);
    }

    /// <summary>A consumer that never commits; the caller disposes it (Close is not needed: nothing to commit).</summary>
    /// <param name="overrides">Reader settings of the caller (fetch sizes), set over the connection's own.</param>
    public IConsumer<byte[]?, byte[]?> CreateConsumer(string? groupId = null, IOperationSink? sink = null, IReadOnlyDictionary<string, string>? overrides = null)
    {
        NativeLibraryLoader.EnsureLoaded();
        var builder = new ConsumerBuilder<byte[]?, byte[]?>(CreateConsumerConfig(groupId, overrides))
            .SetLogHandler((_, message) => OnLog(message, sink))
            .SetErrorHandler((_, error) => OnError(error, sink));
        if (NeedsOAuthBearerHandler)
        {
            builder.SetOAuthBearerTokenRefreshHandler((client, _) => HandleOAuthBearerTokenRefresh(client));
        }

        return Build(builder.Build);
    }

    /// <summary>A producer; <paramref name="partitioner"/> as in <see cref="CreateProducerConfig"/>. The caller disposes it.</summary>
    public IProducer<byte[]?, byte[]?> CreateProducer(IOperationSink? sink = null, string? partitioner = null)
    {
        NativeLibraryLoader.EnsureLoaded();
        var builder = new ProducerBuilder<byte[]?, byte[]?>(CreateProducerConfig(partitioner))
            .SetLogHandler((_, message) => OnLog(message, sink))
            .SetErrorHandler((_, error) => OnError(error, sink));
        if (NeedsOAuthBearerHandler)
        {
            builder.SetOAuthBearerTokenRefreshHandler((client, _) => HandleOAuthBearerTokenRefresh(client));
        }

        return Build(builder.Build);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_groupAdmin.IsValueCreated)
        {
            _groupAdmin.Value.Dispose();
        }

        // A blocking call abandoned by a cancelled caller may still be inside the admin client.
        _adminGate.DisposeWhenIdle(() =>
        {
            if (_admin.IsValueCreated)
            {
                _admin.Value.Dispose();
            }
        });
        _log.Clear();
    }

    /// <summary>
    /// Turns a "cluster unreachable" failure into what librdkafka actually reported when it was an
    /// authentication or TLS failure (the request itself only times out in that case).
    /// </summary>
    public KafkaCatalogException Refine(KafkaCatalogException failure)
    {
        if (!failure.Is(ErrorCatalog.KafkaClusterUnreachable) || _lastSecurityError is not { } error)
        {
            return failure;
        }

        return error.Code switch
        {
            ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed => new KafkaCatalogException(
                ErrorCatalog.KafkaAuthenticationFailed,
                $"Authentication to the Kafka cluster at {BootstrapServers} failed ({Redact(error.Reason)}). Check the credential, the SASL mechanism and the security protocol of connection '{Connection.Name}'.",
                BootstrapServers,
                failure),
            ErrorCode.Local_Ssl => new KafkaCatalogException(
                ErrorCatalog.KafkaTlsFailed,
                $"TLS to the Kafka cluster at {BootstrapServers} failed ({Redact(error.Reason)}). Check the CA (-SslCaLocation), the client certificate and key, and that the brokers' certificates match their host names.",
                BootstrapServers,
                failure),
            _ => failure,
        };
    }

    /// <summary>Replaces the values of secret-looking keys in a text (librdkafka errors may quote them).</summary>
    internal string Redact(string text) => KafkaSecretRedaction.Redact(Connection, text);

    internal static bool IsSensitiveKey(string key) => KafkaSecretRedaction.IsSensitiveKey(key);

    /// <summary>The connection's own OAuth client-credentials token source (connections area), if it has one.</summary>
    private static KafkaOAuthBearerTokenProvider? FromTokenSource(KafkaConnection connection)
    {
        if (connection.GetOptions().OAuth is null)
        {
            return null;
        }

        return async cancellationToken =>
        {
            var source = connection.GetTokenSource() ?? throw new InvalidOperationException("The connection has no OAuth token source.");
            var token = await source.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            return new KafkaOAuthBearerToken(token.AccessToken, token.ExpiresAt, token.PrincipalName) { Extensions = token.Extensions };
        };
    }

    private bool NeedsOAuthBearerHandler =>
        _oauthTokenProvider is not null && Connection.SaslMechanism == KafkaSaslMechanism.OAuthBearer;

    private Dictionary<string, string> BaseProperties(KafkaClientRole role)
    {
        var properties = LibrdkafkaConfig.Build(Connection.GetOptions(), role);
        if (!properties.ContainsKey("log.connection.close"))
        {
            // Idle connections closed by brokers are normal for an admin tool, not worth a line.
            properties["log.connection.close"] = "false";
        }

        return properties;
    }

    private IAdminClient BuildAdminClient()
    {
        NativeLibraryLoader.EnsureLoaded();
        var builder = new AdminClientBuilder(CreateAdminConfig())
            .SetLogHandler((_, message) => OnLog(message, null))
            .SetErrorHandler((_, error) => OnError(error, null));
        if (NeedsOAuthBearerHandler)
        {
            builder.SetOAuthBearerTokenRefreshHandler((client, _) => HandleOAuthBearerTokenRefresh(client));
        }

        return Build(builder.Build);
    }

    private T Build<T>(Func<T> build)
    {
        try
        {
            return build();
        }
        catch (Exception ex) when (ex is ArgumentException or KafkaException or InvalidOperationException)
        {
            throw new KafkaCatalogException(
                ErrorCatalog.InvalidKafkaClientSetting,
                $"The Kafka client rejected the settings of connection '{Connection.Name}': {Redact(ex.Message)} Check -Property and the security parameters of Connect-KafkaCluster.",
                Connection.Name);
        }
    }

    /// <summary>
    /// Where the OAUTHBEARER token source plugs in: librdkafka asks for a token when it needs
    /// one (and again before expiry); this fetches one and hands it over, or reports the failure
    /// without its details reaching any secret.
    /// </summary>
    private void HandleOAuthBearerTokenRefresh(IClient client)
    {
        var provider = _oauthTokenProvider;
        if (provider is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            var token = provider(timeout.Token).GetAwaiter().GetResult();
            client.OAuthBearerSetToken(
                token.Value,
                token.ExpiresAt.ToUnixTimeMilliseconds(),
                token.Principal,
                token.Extensions is null ? null : new Dictionary<string, string>(token.Extensions));
        }
        catch (Exception ex)
        {
            var reason = ex is KafkaCatalogException k ? k.Message : ex.GetType().Name + ": " + Redact(ex.Message);
            _log.Broadcast($"OAUTHBEARER token refresh failed: {reason}", null);
            client.OAuthBearerSetTokenFailure(reason);
        }
    }

    private void OnLog(LogMessage message, IOperationSink? extra) =>
        _log.Broadcast($"librdkafka {message.Level} [{message.Facility}] {Redact(message.Message)}", extra);

    private void OnError(Error error, IOperationSink? extra)
    {
        _lastClientError = error;
        if (error.Code is ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Ssl)
        {
            // Kept apart: "all brokers down" follows an authentication or TLS failure and would hide it.
            _lastSecurityError = error;
            Interlocked.Exchange(ref _nextSecurityError, new TaskCompletionSource<Error>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(error);
        }

        _log.Broadcast($"librdkafka error {error.Code}: {Redact(error.Reason)}", extra);
    }

    private static string Milliseconds(TimeSpan value) =>
        ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

}
