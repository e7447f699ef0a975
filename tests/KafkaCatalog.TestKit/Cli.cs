using System.Globalization;
using System.Runtime.InteropServices;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using KafkaCatalog.TestKit.OAuth;
using KafkaCatalog.TestKit.Sandbox;

namespace KafkaCatalog.TestKit;

/// <summary>
/// Command line of the TestKit sandbox:
/// <c>serve [--brokers N] [--port-base N] [--seed|--no-seed] [--cluster-id ID] [--acls] [--auto-create-topics] [--sasl] [--sasl-user USER:PASSWORD] [--tls] [--oauth] [--atlan] [--polaris] [--ignore-stdin] [--verbose]</c>
/// <c>[--latency MS] [--bench-groups N] [--bench-records] [--bench-partitions N]</c>.
/// Runs until Ctrl+C, SIGTERM or end of standard input (unless --ignore-stdin). Standard input also takes
/// commands, one per line (<see cref="SandboxCommands"/>): stop-broker N, start-broker N, latency MS,
/// drop-connections, move-leader, requests, status, help; each gets one answer line starting with "ok " or "error ".
/// --latency is the network round trip to every broker from the start (see <see cref="KafkaFaults.NetworkLatency"/>); --bench-groups / --bench-partitions seed benchmark
/// data (<see cref="BenchmarkSeeder"/>, prefix "bench"; --bench-records gives the groups' partitions real records) and print <c>bench.*</c> lines with the totals a client must reproduce.
/// Prints the client settings as <c>key=value</c> lines: <c>bootstrap.servers</c>, <c>security.protocol</c>
/// (PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL), with --sasl <c>sasl.mechanisms</c>/<c>sasl.username</c>/<c>sasl.password</c>,
/// with --tls <c>ssl.ca.location</c> (PEM of the generated CA), with --oauth <c>oauth.token_endpoint</c>,
/// <c>oauth.client_id</c>, <c>oauth.client_secret</c> (OAUTHBEARER via the OAuth test server's client-credentials endpoint).
/// </summary>
public static class Cli
{
    public const string Usage =
        "usage: KafkaCatalog.TestKit serve [--brokers N] [--port-base N] [--seed|--no-seed] [--cluster-id ID] [--acls] [--auto-create-topics] [--sasl] [--sasl-user USER:PASSWORD] [--tls] [--oauth] [--atlan] [--polaris] [--ignore-stdin] [--verbose] [--latency MS] [--bench-groups N] [--bench-records] [--bench-partitions N]";

    /// <summary>OAuth client registered with the sandbox's token endpoint (--oauth).</summary>
    public const string OAuthClientId = "sandbox-client";

    /// <summary>Secret of <see cref="OAuthClientId"/> (a sandbox credential, printed on start).</summary>
    public const string OAuthClientSecret = "sandbox-client-secret";

    public static int Run(string[] args) => RunAsync(args, Console.Out, Console.Error, Console.In).GetAwaiter().GetResult();

    /// <summary>Parsed options of the serve command; null with an error message when invalid.</summary>
    public sealed record ServeOptions(int Brokers, int PortBase, bool Seed, string? ClusterId, bool Acls, bool IgnoreStdin, bool Verbose,
        bool Sasl = false, string SaslUser = "admin", string SaslPassword = "admin-secret")
    {
        /// <summary>Also start the Atlan catalog emulator and print its base URL and API token.</summary>
        public bool Atlan { get; init; }

        /// <summary>Auto-create topics named in metadata requests, like a default-configured Kafka broker.</summary>
        public bool AutoCreateTopics { get; init; }

        /// <summary>Listen with TLS (certificates from a generated CA); with SASL the protocol is SASL_SSL.</summary>
        public bool Tls { get; init; }

        /// <summary>Start the OAuth test server and enable OAUTHBEARER with its tokens.</summary>
        public bool OAuth { get; init; }

        /// <summary>Kafka's name of the listener's security protocol.</summary>
        public string SecurityProtocol => (Sasl || OAuth, Tls) switch
        {
            (true, true) => "SASL_SSL",
            (true, false) => "SASL_PLAINTEXT",
            (false, true) => "SSL",
            _ => "PLAINTEXT",
        };

        /// <summary>Also start the Imply Polaris emulator and print its base URL, project and API key.</summary>
        public bool Polaris { get; init; }

        /// <summary>Milliseconds added to every request on every broker (0 = none).</summary>
        public int LatencyMs { get; init; }

        /// <summary>Benchmark consumer groups to seed (<see cref="BenchmarkSeeder.SeedLag"/>), 0 = none.</summary>
        public int BenchGroups { get; init; }

        /// <summary>The --bench-groups partitions hold real records (for -IncludeTimeLag), not offsets only.</summary>
        public bool BenchRecords { get; init; }

        /// <summary>Benchmark partitions to seed (<see cref="BenchmarkSeeder.SeedPartitions"/>), 0 = none.</summary>
        public int BenchPartitions { get; init; }
    }

    public static (ServeOptions? Options, string? Error) Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "serve")
        {
            return (null, Usage);
        }

        int brokers = 3, portBase = 0, latencyMs = 0, benchGroups = 0, benchPartitions = 0;
        var benchRecords = false;
        bool seed = true, acls = false, autoCreate = false, ignoreStdin = false, verbose = false, sasl = false, atlan = false, polaris = false, tls = false, oauth = false;
        string? clusterId = null;
        string saslUser = "admin", saslPassword = "admin-secret";
        for (var i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
            try
            {
                switch (args[i])
                {
                    case "--brokers":
                        brokers = int.Parse(Next(), CultureInfo.InvariantCulture);
                        if (brokers is < 1 or > 16)
                        {
                            return (null, "--brokers must be between 1 and 16.");
                        }

                        break;
                    case "--port-base":
                        portBase = int.Parse(Next(), CultureInfo.InvariantCulture);
                        if (portBase is < 1024 or > 65000)
                        {
                            return (null, "--port-base must be between 1024 and 65000.");
                        }

                        break;
                    case "--seed":
                        seed = true;
                        break;
                    case "--no-seed":
                        seed = false;
                        break;
                    case "--cluster-id":
                        clusterId = Next();
                        break;
                    case "--acls":
                        acls = true;
                        break;
                    case "--auto-create-topics":
                        autoCreate = true;
                        break;
                    case "--atlan":
                        atlan = true;
                        break;
                    case "--polaris":
                        polaris = true;
                        break;
                    case "--sasl":
                        sasl = true;
                        break;
                    case "--tls":
                        tls = true;
                        break;
                    case "--oauth":
                        oauth = true;
                        break;
                    case "--sasl-user":
                        var up = Next();
                        var colon = up.IndexOf(':');
                        if (colon <= 0 || colon == up.Length - 1)
                        {
                            return (null, "--sasl-user must be USER:PASSWORD.");
                        }

                        (saslUser, saslPassword, sasl) = (up[..colon], up[(colon + 1)..], true);
                        break;
                    case "--latency":
                        latencyMs = int.Parse(Next(), CultureInfo.InvariantCulture);
                        if (latencyMs is < 0 or > 60_000)
                        {
                            return (null, "--latency must be between 0 and 60000 (milliseconds).");
                        }

                        break;
                    case "--bench-records":
                        benchRecords = true;
                        break;
                    case "--bench-groups":
                        benchGroups = int.Parse(Next(), CultureInfo.InvariantCulture);
                        if (benchGroups is < 0 or > 99_999)
                        {
                            return (null, "--bench-groups must be between 0 and 99999.");
                        }

                        break;
                    case "--bench-partitions":
                        benchPartitions = int.Parse(Next(), CultureInfo.InvariantCulture);
                        if (benchPartitions is < 0 or > 10_000_000)
                        {
                            return (null, "--bench-partitions must be between 0 and 10000000.");
                        }

                        break;
                    case "--ignore-stdin":
                        ignoreStdin = true;
                        break;
                    case "--verbose":
                        verbose = true;
                        break;
                    default:
                        return (null, $"unknown option {args[i]}\n{Usage}");
                }
            }
            catch (FormatException ex)
            {
                return (null, ex.Message);
            }
        }
        return (new ServeOptions(brokers, portBase, seed, clusterId, acls, ignoreStdin, verbose, sasl, saslUser, saslPassword) { Atlan = atlan, Polaris = polaris, Tls = tls, OAuth = oauth, AutoCreateTopics = autoCreate, LatencyMs = latencyMs, BenchGroups = benchGroups, BenchRecords = benchRecords, BenchPartitions = benchPartitions }, null);
    }

    /// <summary>Reads chaos commands until end of input; one answer line per command, flushed at once.</summary>
    private static async Task ServeCommandsAsync(SandboxCommands commands, TextReader stdin, TextWriter stdout, CancellationToken cancellationToken)
    {
        while (await stdin.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!SandboxCommands.IsCommand(line))
            {
                continue;
            }

            var answer = await commands.ExecuteAsync(line).ConfigureAwait(false);
            await stdout.WriteLineAsync(answer).ConfigureAwait(false);
            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin) =>
        RunAsync(args, stdout, stderr, stdin, CancellationToken.None);

    /// <summary>As a process would, until <paramref name="stopRequested"/> (which stands for Ctrl+C/SIGTERM in tests).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, CancellationToken stopRequested)
    {
        var (o, error) = Parse(args);
        if (o is null)
        {
            await stderr.WriteLineAsync(error).ConfigureAwait(false);
            return 2;
        }
        var options = new KafkaTestClusterOptions
        {
            Brokers = o.Brokers,
            PortBase = o.PortBase,
            ClusterId = o.ClusterId,
            EnableAcls = o.Acls,
            AutoCreateTopics = o.AutoCreateTopics,
            Log = o.Verbose ? m => stderr.WriteLine(m) : null,
        };
        KafkaSecurityAuthenticator? auth = null;
        OAuthTestServer? oauthServer = null;
        if (o.Sasl || o.Tls || o.OAuth)
        {
            var security = new KafkaSecurityOptions
            {
                Protocol = (o.Sasl || o.OAuth, o.Tls) switch
                {
                    (true, true) => KafkaSecurityProtocol.SaslSsl,
                    (true, false) => KafkaSecurityProtocol.SaslPlaintext,
                    _ => KafkaSecurityProtocol.Ssl,
                },
            };
            if (!o.OAuth)
            {
                security.EnabledMechanisms.Remove(SaslMechanisms.OAuthBearer);
            }

            if (!o.Sasl)
            {
                security.EnabledMechanisms.Remove(SaslMechanisms.Plain);
                security.EnabledMechanisms.Remove(SaslMechanisms.ScramSha256);
                security.EnabledMechanisms.Remove(SaslMechanisms.ScramSha512);
            }
            if (o.Sasl)
            {
                security.AddUser(o.SaslUser, o.SaslPassword);
            }

            if (o.OAuth)
            {
                oauthServer = await OAuthTestServer.StartAsync().ConfigureAwait(false);
                oauthServer.AddClient(OAuthClientId, OAuthClientSecret);
                security.OAuthTokenValidator = oauthServer.Validate;
            }
            auth = options.UseSecurity(security);
        }
        if (o.Acls)
        {
            if (o.Sasl)
            {
                options.SuperUsers.Add($"User:{o.SaslUser}");
            }

            if (o.OAuth)
            {
                options.SuperUsers.Add($"User:{OAuthClientId}");
            }

            if (!o.Sasl && !o.OAuth)
            {
                options.SuperUsers.Add("User:ANONYMOUS");
            }
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopRequested);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await using var cluster = await KafkaTestCluster.StartAsync(options, stop.Token).ConfigureAwait(false);
            await stdout.WriteLineAsync($"KafkaCatalog TestKit cluster {cluster.ClusterId} with {cluster.Brokers.Count} broker(s)").ConfigureAwait(false);
            await stdout.WriteLineAsync($"bootstrap.servers={cluster.BootstrapServers}").ConfigureAwait(false);
            foreach (var broker in cluster.Brokers)
            {
                await stdout.WriteLineAsync($"broker {broker.Id}: {broker.Host}:{broker.Port}").ConfigureAwait(false);
            }

            await stdout.WriteLineAsync($"security.protocol={o.SecurityProtocol}").ConfigureAwait(false);
            if (o.Sasl)
            {
                await stdout.WriteLineAsync($"sasl.mechanisms={SaslMechanisms.Plain},{SaslMechanisms.ScramSha256},{SaslMechanisms.ScramSha512}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"sasl.username={o.SaslUser}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"sasl.password={o.SaslPassword}").ConfigureAwait(false);
            }
            if (o.Tls)
            {
                await stdout.WriteLineAsync($"ssl.ca.location={auth!.Options.CertificateAuthority!.CaPemPath}").ConfigureAwait(false);
            }

            if (oauthServer is not null)
            {
                await stdout.WriteLineAsync($"oauth.token_endpoint={oauthServer.TokenEndpoint}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"oauth.client_id={OAuthClientId}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"oauth.client_secret={OAuthClientSecret}").ConfigureAwait(false);
            }
            await using var atlan = o.Atlan ? await Atlan.AtlanEmulator.StartAsync(null, stop.Token).ConfigureAwait(false) : null;
            if (atlan is not null)
            {
                await stdout.WriteLineAsync($"atlan.base_url={atlan.BaseUri}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"atlan.api_token={atlan.ApiToken}").ConfigureAwait(false);
            }

            await using var polaris = o.Polaris ? await Polaris.PolarisEmulator.StartAsync(null, stop.Token).ConfigureAwait(false) : null;
            if (polaris is not null)
            {
                await stdout.WriteLineAsync($"polaris.base_url={polaris.ProjectUri}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"polaris.project_id={polaris.ProjectId}").ConfigureAwait(false);
                await stdout.WriteLineAsync($"polaris.api_key={polaris.ApiKey}").ConfigureAwait(false);
            }

            if (o.Seed)
            {
                var seeded = SandboxSeeder.Seed(cluster);
                await stdout.WriteLineAsync($"seeded topics: {SandboxSeeder.Describe(seeded)}").ConfigureAwait(false);
                if (seeded.Groups.Count > 0)
                {
                    await stdout.WriteLineAsync($"seeded groups: {string.Join(", ", seeded.Groups)}").ConfigureAwait(false);
                }

                if (seeded.Acls.Count > 0)
                {
                    await stdout.WriteLineAsync($"seeded ACLs: {string.Join(", ", seeded.Acls.Select(a => $"{a.Permission} {a.Principal} {a.Operation} {a.ResourceType}:{a.ResourceName}"))}").ConfigureAwait(false);
                }
            }
            if (o.BenchGroups > 0 || o.BenchPartitions > 0)
            {
                var lag = o.BenchGroups > 0 ? BenchmarkSeeder.SeedLag(cluster, "bench", o.BenchGroups, records: o.BenchRecords) : null;
                var listing = o.BenchPartitions > 0 ? BenchmarkSeeder.SeedPartitions(cluster, "bench", o.BenchPartitions) : null;
                await stdout.WriteLineAsync("bench.prefix=bench").ConfigureAwait(false);
                if (lag is not null)
                {
                    await stdout.WriteLineAsync($"bench.groups={lag.Groups}\nbench.expected_rows={lag.ExpectedRows}\nbench.expected_lag={lag.ExpectedLag}").ConfigureAwait(false);
                }

                if (listing is not null)
                {
                    await stdout.WriteLineAsync($"bench.topics={listing.Topics}\nbench.partitions={listing.Partitions}").ConfigureAwait(false);
                }
            }
            if (o.LatencyMs > 0)
            {
                cluster.Faults.NetworkLatency = TimeSpan.FromMilliseconds(o.LatencyMs);
                await stdout.WriteLineAsync($"latency.ms={o.LatencyMs}").ConfigureAwait(false);
            }
            await stdout.WriteLineAsync(o.IgnoreStdin
                ? "Ready. Stop with Ctrl+C or SIGTERM."
                : $"Ready. Stop with Ctrl+C, SIGTERM or end of input. Chaos {SandboxCommands.Help} (one per line).").ConfigureAwait(false);
            await stdout.FlushAsync().ConfigureAwait(false);
            var waitStop = Task.Delay(Timeout.Infinite, stop.Token);
            var tasks = new List<Task> { waitStop };
            if (!o.IgnoreStdin)
            {
                tasks.Add(Task.Run(() => ServeCommandsAsync(new SandboxCommands(cluster), stdin, stdout, stop.Token), CancellationToken.None));
            }

            try
            {
                await Task.WhenAny(tasks).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            await stdout.WriteLineAsync("Stopping.").ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
            if (oauthServer is not null)
            {
                await oauthServer.DisposeAsync().ConfigureAwait(false);
            }

            auth?.Options.CertificateAuthority?.Dispose();
        }
    }
}
