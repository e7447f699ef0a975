using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace KafkaCatalog.TestKit.Polaris;

/// <summary>What the emulator's test-connection needs to reach a cluster.</summary>
public sealed record KafkaProbeSettings
{
    public required string BootstrapServers { get; init; }
    public required string TopicName { get; init; }
    public bool TopicNameIsPattern { get; init; }
    /// <summary>PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, AWS_MSK_IAM, or null for no SASL.</summary>
    public string? SaslMechanism { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    /// <summary>PEM CA certificates; when set the probe speaks TLS and trusts only these roots.</summary>
    public string? TruststorePem { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>The probe's verdict: the topics that matched, or why it failed.</summary>
public sealed record KafkaProbeResult(bool Succeeded, string? Reason, IReadOnlyList<string> MatchedTopics)
{
    public static KafkaProbeResult Fail(string reason) => new(false, reason, Array.Empty<string>());
}

/// <summary>
/// A small Kafka client for the Polaris emulator's test-connection: TCP (or TLS) to a bootstrap
/// server, ApiVersions v0, SASL (SaslHandshake v1 + SaslAuthenticate v0 with PLAIN or SCRAM) when
/// configured, then Metadata v0 for all topics to check the topic (or pattern) exists and every
/// partition has a leader. The requests are hand-encoded (header v1, classic encodings).
/// </summary>
public static class KafkaProbe
{
    private const short ApiVersionsKey = 18;
    private const short MetadataKey = 3;
    private const short SaslHandshakeKey = 17;
    private const short SaslAuthenticateKey = 36;

    public static async Task<KafkaProbeResult> RunAsync(KafkaProbeSettings settings, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            return await RunCoreAsync(settings, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return KafkaProbe.Fail($"Timed out after {settings.Timeout.TotalSeconds:0.#} s talking to {settings.BootstrapServers}.");
        }
    }

    private static KafkaProbeResult Fail(string reason) => KafkaProbeResult.Fail(reason);

    private static async Task<KafkaProbeResult> RunCoreAsync(KafkaProbeSettings s, CancellationToken ct)
    {
        var servers = s.BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var failures = new List<string>();
        TcpClient? tcp = null;
        foreach (var server in servers)
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server[(colon + 1)..], out var port))
            {
                failures.Add($"{server}: not host:port");
                continue;
            }

            var candidate = new TcpClient();
            try
            {
                await candidate.ConnectAsync(server[..colon].Trim('[', ']'), port, ct).ConfigureAwait(false);
                tcp = candidate;
                break;
            }
            catch (SocketException ex)
            {
                candidate.Dispose();
                failures.Add($"{server}: {ex.SocketErrorCode}");
            }
        }

        if (tcp is null)
        {
            return Fail($"Unable to connect to any bootstrap server ({string.Join("; ", failures)}). Check bootstrapServers and that the brokers are reachable.");
        }

        using (tcp)
        {
            Stream stream = tcp.GetStream();
            if (s.TruststorePem is not null)
            {
                var tls = await StartTlsAsync(stream, servers[0], s.TruststorePem, ct).ConfigureAwait(false);
                if (tls.Error is not null)
                {
                    return Fail(tls.Error);
                }

                stream = tls.Stream!;
            }

            await using var connection = new Connection(stream);
            try
            {
                var versions = await connection.RequestAsync(ApiVersionsKey, 0, _ => { }, ct).ConfigureAwait(false);
                var apiError = versions.Int16();
                if (apiError != 0)
                {
                    return Fail($"The broker answered ApiVersions with error {apiError}.");
                }

                var supported = new HashSet<short>();
                var apiCount = versions.Int32();
                for (var i = 0; i < apiCount; i++)
                {
                    supported.Add(versions.Int16());
                    versions.Int16();
                    versions.Int16();
                }

                if (s.SaslMechanism is not null && !supported.Contains(SaslHandshakeKey))
                {
                    return Fail($"SASL {s.SaslMechanism} is configured, but the broker at this address does not offer SASL (no SaslHandshake in ApiVersions). Remove the secrets or use the cluster's SASL listener.");
                }

                if (s.SaslMechanism is not null)
                {
                    var auth = await AuthenticateAsync(connection, s, ct).ConfigureAwait(false);
                    if (auth is not null)
                    {
                        return Fail(auth);
                    }
                }

                var metadata = await connection.RequestAsync(MetadataKey, 0, w => w.Int32(0), ct).ConfigureAwait(false);
                return CheckTopics(s, ReadMetadataV0(metadata));
            }
            catch (Exception ex) when (ex is EndOfStreamException || IsClosedByPeer(ex))
            {
                return Fail(s.SaslMechanism is null
                    ? "The broker closed the connection. It may require TLS or SASL authentication: add secrets (sasl_plain / sasl_scram) or an ssl truststore."
                    : "The broker closed the connection during authentication.");
            }
            catch (IOException ex)
            {
                return Fail($"Connection to the broker failed: {ex.Message}");
            }
        }
    }

    // A peer that hangs up may be seen as end of stream on read, or as a reset on write.
    private static bool IsClosedByPeer(Exception ex) =>
        ex is IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } };

    private static KafkaProbeResult CheckTopics(KafkaProbeSettings s, List<(short Error, string Name, List<(short Error, int Partition, int Leader)> Partitions)> topics)
    {
        List<(short Error, string Name, List<(short Error, int Partition, int Leader)> Partitions)> matched;
        if (s.TopicNameIsPattern)
        {
            Regex regex;
            try
            {
                regex = new Regex("^(?:" + s.TopicName + ")$", RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                return Fail($"topicName '{s.TopicName}' is not a valid regular expression.");
            }

            matched = topics.Where(t => regex.IsMatch(t.Name)).ToList();
            if (matched.Count == 0)
            {
                return Fail($"No topic on the cluster matches the pattern '{s.TopicName}' ({topics.Count} topics visible).");
            }
        }
        else
        {
            matched = topics.Where(t => t.Name == s.TopicName).ToList();
            if (matched.Count == 0)
            {
                return Fail($"Topic '{s.TopicName}' does not exist on the cluster ({topics.Count} topics visible).");
            }
        }

        foreach (var topic in matched)
        {
            if (topic.Error == 29)
            {
                return Fail($"Not authorized to describe topic '{topic.Name}' (TOPIC_AUTHORIZATION_FAILED).");
            }

            if (topic.Error != 0)
            {
                return Fail($"Topic '{topic.Name}' reports error {topic.Error}.");
            }

            var bad = topic.Partitions.FirstOrDefault(p => p.Error != 0 || p.Leader < 0);
            if (bad != default)
            {
                return Fail($"Partition {bad.Partition} of topic '{topic.Name}' has no leader (error {bad.Error}); Polaris cannot read its offsets.");
            }
        }

        return new KafkaProbeResult(true, null, matched.Select(t => t.Name).ToList());
    }

    private static List<(short Error, string Name, List<(short Error, int Partition, int Leader)> Partitions)> ReadMetadataV0(Reader r)
    {
        var brokers = r.Int32();
        for (var i = 0; i < brokers; i++)
        {
            r.Int32();
            r.String();
            r.Int32();
        }

        var topics = new List<(short, string, List<(short, int, int)>)>();
        var topicCount = r.Int32();
        for (var i = 0; i < topicCount; i++)
        {
            var error = r.Int16();
            var name = r.String() ?? string.Empty;
            var partitions = new List<(short, int, int)>();
            var count = r.Int32();
            for (var p = 0; p < count; p++)
            {
                var perror = r.Int16();
                var id = r.Int32();
                var leader = r.Int32();
                r.SkipInt32Array();
                r.SkipInt32Array();
                partitions.Add((perror, id, leader));
            }

            topics.Add((error, name, partitions));
        }

        return topics;
    }

    private static async Task<string?> AuthenticateAsync(Connection connection, KafkaProbeSettings s, CancellationToken ct)
    {
        var mechanism = s.SaslMechanism!;
        var handshake = await connection.RequestAsync(SaslHandshakeKey, 1, w => w.String(mechanism), ct).ConfigureAwait(false);
        var error = handshake.Int16();
        var enabled = new List<string>();
        var count = handshake.Int32();
        for (var i = 0; i < count; i++)
        {
            enabled.Add(handshake.String() ?? string.Empty);
        }

        if (error == 33)
        {
            return $"The broker does not enable SASL mechanism {mechanism} (enabled: {(enabled.Count == 0 ? "none" : string.Join(", ", enabled))}).";
        }

        if (error != 0)
        {
            return $"SASL handshake failed with error {error}.";
        }

        if (mechanism == "PLAIN")
        {
            var token = Encoding.UTF8.GetBytes($"\0{s.Username}\0{s.Password}");
            var (err, message, _) = await AuthenticateStepAsync(connection, token, ct).ConfigureAwait(false);
            return err == 0 ? null : AuthFailure(s, message);
        }

        if (mechanism is "SCRAM-SHA-256" or "SCRAM-SHA-512")
        {
            return await ScramAsync(connection, s, mechanism == "SCRAM-SHA-512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256, ct).ConfigureAwait(false);
        }

        return $"SASL mechanism {mechanism} cannot be used by this client.";
    }

    private static string AuthFailure(KafkaProbeSettings s, string? message) =>
        $"SASL authentication failed for user '{s.Username}' ({s.SaslMechanism}): {message ?? "invalid credentials"}.";

    private static async Task<(short Error, string? Message, byte[] Bytes)> AuthenticateStepAsync(Connection connection, byte[] token, CancellationToken ct)
    {
        var reply = await connection.RequestAsync(SaslAuthenticateKey, 0, w => w.Bytes(token), ct).ConfigureAwait(false);
        var error = reply.Int16();
        var message = reply.String();
        var bytes = reply.Bytes();
        return (error, message, bytes);
    }

    private static async Task<string?> ScramAsync(Connection connection, KafkaProbeSettings s, HashAlgorithmName hash, CancellationToken ct)
    {
        var user = (s.Username ?? string.Empty).Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
        var clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var clientFirstBare = $"n={user},r={clientNonce}";
        var (err, message, serverFirstBytes) = await AuthenticateStepAsync(connection, Encoding.UTF8.GetBytes("n,," + clientFirstBare), ct).ConfigureAwait(false);
        if (err != 0)
        {
            return AuthFailure(s, message);
        }

        var serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
        var fields = serverFirst.Split(',').Where(f => f.Length > 2 && f[1] == '=').ToDictionary(f => f[0], f => f[2..]);
        if (!fields.TryGetValue('r', out var nonce) || !nonce.StartsWith(clientNonce, StringComparison.Ordinal)
            || !fields.TryGetValue('s', out var salt) || !fields.TryGetValue('i', out var iterText) || !int.TryParse(iterText, out var iterations))
        {
            return $"SASL {s.SaslMechanism}: the broker's first message is malformed.";
        }

        var size = hash == HashAlgorithmName.SHA512 ? 64 : 32;
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(s.Password ?? string.Empty), Convert.FromBase64String(salt), iterations, hash, size);
        var clientKey = Hmac(hash, salted, "Client Key");
        var storedKey = hash == HashAlgorithmName.SHA512 ? SHA512.HashData(clientKey) : SHA256.HashData(clientKey);
        var withoutProof = $"c=biws,r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{withoutProof}");
        var signature = Hmac(hash, storedKey, authMessage);
        var proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
        var (err2, message2, serverFinalBytes) = await AuthenticateStepAsync(connection, Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}"), ct).ConfigureAwait(false);
        if (err2 != 0)
        {
            return AuthFailure(s, message2);
        }

        var serverFinal = Encoding.UTF8.GetString(serverFinalBytes);
        var expected = "v=" + Convert.ToBase64String(Hmac(hash, Hmac(hash, salted, "Server Key"), authMessage));
        return serverFinal == expected ? null : $"SASL {s.SaslMechanism}: the broker's signature does not verify ({serverFinal}).";
    }

    private static byte[] Hmac(HashAlgorithmName hash, byte[] key, string data) => Hmac(hash, key, Encoding.UTF8.GetBytes(data));

    private static byte[] Hmac(HashAlgorithmName hash, byte[] key, byte[] data) =>
        hash == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);

    private static async Task<(Stream? Stream, string? Error)> StartTlsAsync(Stream inner, string server, string pem, CancellationToken ct)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            return (null, $"The ssl truststore is not valid PEM: {ex.Message}");
        }

        string? chainError = null;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
        {
            if (certificate is null)
            {
                chainError = "the broker sent no certificate";
                return false;
            }

            // Like Kafka clients' default (ssl.endpoint.identification.algorithm=https): the name must match.
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                chainError = $"the broker certificate does not name host '{server.Split(':')[0]}'";
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            var ok = chain.Build(new X509Certificate2(certificate));
            if (!ok)
            {
                chainError = string.Join("; ", chain.ChainStatus.Select(c => c.StatusInformation.Trim()));
            }

            return ok;
        });
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = server.Split(':')[0] }, ct).ConfigureAwait(false);
            return (ssl, null);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            return (null, $"TLS handshake with {server} failed: {chainError ?? ex.Message}. Check the ssl truststore certificates.");
        }
    }

    private sealed class Connection(Stream stream) : IAsyncDisposable
    {
        private int _correlation;

        public async Task<Reader> RequestAsync(short apiKey, short version, Action<Writer> body, CancellationToken ct)
        {
            var correlation = ++_correlation;
            var w = new Writer();
            w.Int16(apiKey);
            w.Int16(version);
            w.Int32(correlation);
            w.String("polaris-emulator");
            body(w);
            var payload = w.ToArray();
            var frame = new byte[4 + payload.Length];
            BinaryPrimitives.WriteInt32BigEndian(frame, payload.Length);
            payload.CopyTo(frame, 4);
            await stream.WriteAsync(frame, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);

            var sizeBytes = new byte[4];
            await stream.ReadExactlyAsync(sizeBytes, ct).ConfigureAwait(false);
            var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
            if (size is < 4 or > 64 * 1024 * 1024)
            {
                throw new IOException($"implausible response size {size}");
            }

            var response = new byte[size];
            await stream.ReadExactlyAsync(response, ct).ConfigureAwait(false);
            var reader = new Reader(response);
            if (reader.Int32() != correlation)
            {
                throw new IOException("response correlation id does not match the request");
            }

            return reader;
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    private sealed class Writer
    {
        private readonly MemoryStream _buffer = new();

        public void Int16(short value)
        {
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteInt16BigEndian(b, value);
            _buffer.Write(b);
        }

        public void Int32(int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(b, value);
            _buffer.Write(b);
        }

        public void String(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Int16((short)bytes.Length);
            _buffer.Write(bytes);
        }

        public void Bytes(byte[] value)
        {
            Int32(value.Length);
            _buffer.Write(value);
        }

        public byte[] ToArray() => _buffer.ToArray();
    }

    private sealed class Reader(byte[] data)
    {
        private int _position;

        public short Int16()
        {
            var v = BinaryPrimitives.ReadInt16BigEndian(Take(2));
            return v;
        }

        public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

        public string? String()
        {
            var length = Int16();
            return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
        }

        public byte[] Bytes()
        {
            var length = Int32();
            return length < 0 ? Array.Empty<byte>() : Take(length).ToArray();
        }

        public void SkipInt32Array()
        {
            var count = Int32();
            if (count > 0)
            {
                Take(count * 4);
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (_position + count > data.Length)
            {
                throw new EndOfStreamException("response shorter than expected");
            }

            var span = data.AsSpan(_position, count);
            _position += count;
            return span;
        }
    }
}
