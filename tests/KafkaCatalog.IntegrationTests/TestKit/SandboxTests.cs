using Confluent.Kafka;
using KafkaCatalog.TestKit;
using KafkaCatalog.TestKit.Sandbox;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>The sandbox seeding and the serve command line.</summary>
public sealed class SandboxTests(ClusterFixture fx) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Seeder_creates_sample_topics_whose_messages_librdkafka_reads()
    {
        var result = SandboxSeeder.Seed(fx.Cluster);
        Assert.Equal(new[] { "clicks", "orders", "payments", "tmp-scratch" }, result.Topics.Keys.OrderBy(k => k));
        var orders = fx.Cluster.State.GetTopic("orders")!;
        Assert.Equal(6, orders.Partitions.Count);
        Assert.Equal(3, orders.ReplicationFactor);
        Assert.Equal(120, orders.Partitions.Sum(p => p.HighWatermark));
        Assert.Equal("2", fx.Cluster.State.GetTopic("payments")!.Configs["min.insync.replicas"]);
        Assert.Equal(5, fx.Cluster.State.GetPartition("tmp-scratch", 0)!.HighWatermark);

        using var c = fx.Consumer();
        c.Assign(new TopicPartitionOffset("tmp-scratch", 0, Offset.Beginning));
        var got = new List<ConsumeResult<string?, string?>>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (got.Count < 5)
        {
            got.Add(c.Consume(cts.Token));
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"scratch {i}"), got.Select(r => r.Message.Value));
        Assert.Equal("sandbox", System.Text.Encoding.UTF8.GetString(got[0].Message.Headers.GetLastBytes("source")));
        Assert.Equal(SandboxSeeder.BaseTime.ToUnixTimeMilliseconds(), got[0].Message.Timestamp.UnixTimestampMs);

        using var admin = fx.Admin();
        var md = admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.Contains(md.Topics, t => t.Topic == "clicks" && t.Partitions.Count == 12);
    }

    [Theory]
    [InlineData(new[] { "serve" }, 3, 0, true)]
    [InlineData(new[] { "serve", "--brokers", "1", "--no-seed" }, 1, 0, false)]
    [InlineData(new[] { "serve", "--port-base", "19092", "--seed" }, 3, 19092, true)]
    public void Serve_options_parse(string[] args, int brokers, int portBase, bool seed)
    {
        var (o, error) = Cli.Parse(args);
        Assert.Null(error);
        Assert.Equal((brokers, portBase, seed), (o!.Brokers, o.PortBase, o.Seed));
    }

    [Theory]
    [InlineData(new string[0], "usage:")]
    [InlineData(new[] { "serve", "--brokers", "0" }, "--brokers must be between 1 and 16.")]
    [InlineData(new[] { "serve", "--brokers" }, "--brokers needs a value.")]
    [InlineData(new[] { "serve", "--what" }, "unknown option --what")]
    public void Serve_rejects_bad_options(string[] args, string message)
    {
        var (o, error) = Cli.Parse(args);
        Assert.Null(o);
        Assert.StartsWith(message, error);
    }

    [Fact]
    public async Task Serve_prints_bootstrap_servers_and_stops_at_end_of_input()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var rc = await Cli.RunAsync(new[] { "serve", "--brokers", "1", "--no-seed" }, stdout, stderr, new StringReader(""));
        Assert.Equal(0, rc);
        Assert.Matches(@"bootstrap\.servers=127\.0\.0\.1:\d+", stdout.ToString());
        Assert.Contains("Stopping.", stdout.ToString());
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public async Task Serve_with_sasl_prints_the_sandbox_credentials()
    {
        var (o, error) = Cli.Parse(new[] { "serve", "--sasl-user", "ops:s3cret" });
        Assert.Null(error);
        Assert.Equal((true, "ops", "s3cret"), (o!.Sasl, o.SaslUser, o.SaslPassword));
        Assert.Equal("--sasl-user must be USER:PASSWORD.", Cli.Parse(new[] { "serve", "--sasl-user", "nopassword" }).Error);

        var stdout = new StringWriter();
        var rc = await Cli.RunAsync(new[] { "serve", "--brokers", "1", "--no-seed", "--sasl" }, stdout, new StringWriter(), new StringReader(""));
        Assert.Equal(0, rc);
        var lines = stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("security.protocol=SASL_PLAINTEXT", lines);
        Assert.Contains("sasl.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512", lines);
        Assert.Contains("sasl.username=admin", lines);
        Assert.Contains("sasl.password=admin-secret", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("ssl.", StringComparison.Ordinal) || l.StartsWith("oauth.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "serve" }, false, false, false, "PLAINTEXT")]
    [InlineData(new[] { "serve", "--tls" }, false, true, false, "SSL")]
    [InlineData(new[] { "serve", "--sasl", "--tls" }, true, true, false, "SASL_SSL")]
    [InlineData(new[] { "serve", "--oauth" }, false, false, true, "SASL_PLAINTEXT")]
    [InlineData(new[] { "serve", "--oauth", "--tls", "--sasl" }, true, true, true, "SASL_SSL")]
    [InlineData(new[] { "serve", "--sasl" }, true, false, false, "SASL_PLAINTEXT")]
    public void Serve_security_flags_parse_to_the_security_protocol(string[] args, bool sasl, bool tls, bool oauth, string protocol)
    {
        var (o, error) = Cli.Parse(args);
        Assert.Null(error);
        Assert.Equal((sasl, tls, oauth, protocol), (o!.Sasl, o.Tls, o.OAuth, o.SecurityProtocol));
        Assert.Contains("[--tls] [--oauth]", Cli.Usage);
    }

    [Fact]
    public async Task Serve_plaintext_prints_security_protocol_plaintext()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await Cli.RunAsync(new[] { "serve", "--brokers", "1", "--no-seed" }, stdout, new StringWriter(), new StringReader("")));
        var lines = stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("security.protocol=PLAINTEXT", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("sasl.", StringComparison.Ordinal) || l.StartsWith("ssl.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_with_tls_accepts_a_librdkafka_client_that_trusts_the_printed_ca()
    {
        var stdout = new LineWriter();
        var stdin = new BlockingReader();
        var serve = Cli.RunAsync(new[] { "serve", "--brokers", "1", "--tls" }, stdout, new StringWriter(), stdin);
        Assert.NotNull(await stdout.WaitForLineAsync(l => l.StartsWith("Ready.", StringComparison.Ordinal)));
        var values = Values(stdout);
        Assert.Equal("SSL", values["security.protocol"]);
        var ca = values["ssl.ca.location"];
        Assert.True(File.Exists(ca));
        Assert.Contains("BEGIN CERTIFICATE", File.ReadAllText(ca));

        var config = new AdminClientConfig { BootstrapServers = values["bootstrap.servers"] };
        config.Set("security.protocol", values["security.protocol"]);
        config.Set("ssl.ca.location", ca);
        using (var admin = new AdminClientBuilder(config).Build())
        {
            var md = admin.GetMetadata(TimeSpan.FromSeconds(20));
            Assert.Contains(md.Topics, t => t.Topic == "orders");
        }

        // Without the CA the same client cannot connect: the listener really is TLS with the generated CA.
        var untrusted = new AdminClientConfig { BootstrapServers = values["bootstrap.servers"], SecurityProtocol = SecurityProtocol.Ssl };
        using (var admin = new AdminClientBuilder(untrusted).Build())
        {
            Assert.ThrowsAny<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(3)));
        }

        stdin.End();
        Assert.Equal(0, await serve);
        Assert.False(File.Exists(ca)); // the generated CA is cleaned up on stop
    }

    [Fact]
    public async Task Serve_with_oauth_accepts_a_librdkafka_oidc_client_with_the_printed_values()
    {
        var stdout = new LineWriter();
        var stdin = new BlockingReader();
        var serve = Cli.RunAsync(new[] { "serve", "--brokers", "1", "--oauth", "--acls" }, stdout, new StringWriter(), stdin);
        Assert.NotNull(await stdout.WaitForLineAsync(l => l.StartsWith("Ready.", StringComparison.Ordinal)));
        var values = Values(stdout);
        Assert.Equal("SASL_PLAINTEXT", values["security.protocol"]);
        Assert.StartsWith("http://127.0.0.1:", values["oauth.token_endpoint"]);

        var config = new AdminClientConfig
        {
            BootstrapServers = values["bootstrap.servers"],
            SaslMechanism = SaslMechanism.OAuthBearer,
            SaslOauthbearerMethod = SaslOauthbearerMethod.Oidc,
            SaslOauthbearerTokenEndpointUrl = values["oauth.token_endpoint"],
            SaslOauthbearerClientId = values["oauth.client_id"],
            SaslOauthbearerClientSecret = values["oauth.client_secret"],
        };
        config.Set("security.protocol", values["security.protocol"]);
        using (var admin = new AdminClientBuilder(config).Build())
        {
            // --acls makes the OAuth client a super user; the seeded topics are visible to it.
            var md = admin.GetMetadata(TimeSpan.FromSeconds(20));
            Assert.Contains(md.Topics, t => t.Topic == "orders");
        }

        // A wrong client secret is refused by the token endpoint, so the client never authenticates.
        var wrong = new AdminClientConfig
        {
            BootstrapServers = values["bootstrap.servers"],
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.OAuthBearer,
            SaslOauthbearerMethod = SaslOauthbearerMethod.Oidc,
            SaslOauthbearerTokenEndpointUrl = values["oauth.token_endpoint"],
            SaslOauthbearerClientId = values["oauth.client_id"],
            SaslOauthbearerClientSecret = "not-the-secret",
        };
        using (var admin = new AdminClientBuilder(wrong).Build())
        {
            Assert.ThrowsAny<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(3)));
        }

        stdin.End();
        Assert.Equal(0, await serve);
    }

    private static Dictionary<string, string> Values(LineWriter stdout) =>
        stdout.Lines.Where(l => l.Contains('=', StringComparison.Ordinal) && !l.Contains(' ', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    [Fact]
    public async Task Serve_with_sasl_accepts_a_librdkafka_client_with_the_printed_credentials()
    {
        var stdout = new LineWriter();
        var stdin = new BlockingReader();
        var serve = Cli.RunAsync(new[] { "serve", "--brokers", "2", "--sasl" }, stdout, new StringWriter(), stdin);
        var ready = await stdout.WaitForLineAsync(l => l.StartsWith("Ready.", StringComparison.Ordinal));
        Assert.NotNull(ready);
        var bootstrap = stdout.Lines.Single(l => l.StartsWith("bootstrap.servers=", StringComparison.Ordinal))["bootstrap.servers=".Length..];

        using (var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = bootstrap,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.ScramSha256,
            SaslUsername = "admin",
            SaslPassword = "admin-secret",
        }).Build())
        {
            var md = admin.GetMetadata(TimeSpan.FromSeconds(20));
            Assert.Contains(md.Topics, t => t.Topic == "orders");
            Assert.Equal(2, md.Brokers.Count);
        }

        stdin.End();
        Assert.Equal(0, await serve);
    }

    /// <summary>Collects written lines and lets a test wait for one (the serve command writes from another task).</summary>
    private sealed class LineWriter : TextWriter
    {
        private readonly object _sync = new();
        private readonly List<string> _lines = new();
        private readonly System.Text.StringBuilder _current = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_sync)
                {
                    return _lines.ToList();
                }
            }
        }

        public override void Write(char value)
        {
            TaskCompletionSource? done = null;
            lock (_sync)
            {
                if (value == '\n')
                {
                    _lines.Add(_current.ToString().TrimEnd('\r'));
                    _current.Clear();
                    done = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                else
                {
                    _current.Append(value);
                }
            }
            done?.TrySetResult();
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public async Task<string?> WaitForLineAsync(Func<string, bool> match)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                Task wait;
                lock (_sync)
                {
                    var hit = _lines.FirstOrDefault(match);
                    if (hit is not null)
                    {
                        return hit;
                    }

                    wait = _changed.Task;
                }
                await wait.WaitAsync(cts.Token);
            }
        }
    }

    /// <summary>Standard input that stays open until <see cref="End"/>.</summary>
    private sealed class BlockingReader : TextReader
    {
        private readonly TaskCompletionSource<string?> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void End() => _end.TrySetResult(null);

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
            new(_end.Task.WaitAsync(cancellationToken));
    }
}
