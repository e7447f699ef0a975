using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Security;
using ApiKeys = KafkaCatalog.TestKit.Kafka.Protocol.ApiKeys;
using TkProtocol = KafkaCatalog.TestKit.Kafka.Security.KafkaSecurityProtocol;

namespace KafkaCatalog.IntegrationTests.KafkaGroups;

/// <summary>
/// Entry point of the IntegrationTests assembly when it is started as its own process
/// (<c>dotnet exec KafkaCatalog.IntegrationTests.dll probe &lt;scenario&gt; [iterations]</c>): loops admin calls
/// against a TestKit cluster started in that process, so a librdkafka abort (SIGABRT) ends only the
/// child, never the test host. Prints <c>PROBE key=value</c> lines; exit code 0 = survived.
/// Without arguments (how the test platform may start it) it does nothing.
/// </summary>
public static class AdminAbortProbe
{
    public static int Main(string[] args)
    {
        if (args.Length < 2 || args[0] != "probe")
        {
            return 0;
        }

        var iterations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        Only = args.Length > 3 ? args[3] : null;
        NativeLibraryLoader.EnsureLoaded();
        var scenario = args[1];
        Report("librdkafka", Library.VersionString);
        Func<int, Task> run = scenario switch
        {
            "coordinator-lookup-outlives-timeout" => n => CoordinatorLookupOutlivesTimeoutAsync(n, guarded: false),
            "coordinator-down-then-up" => n => CoordinatorDownThenUpAsync(n, guarded: false),
            "guarded-coordinator-lookup-outlives-timeout" => n => CoordinatorLookupOutlivesTimeoutAsync(n, guarded: true),
            "guarded-coordinator-down-then-up" => n => CoordinatorDownThenUpAsync(n, guarded: true),
            "foreign-ca" => n => SecurityFailureAsync(n, TkProtocol.Ssl, wrongPassword: false),
            "sasl-ssl-foreign-ca" => n => SecurityFailureAsync(n, TkProtocol.SaslSsl, wrongPassword: false),
            "sasl-wrong-password" => n => SecurityFailureAsync(n, TkProtocol.SaslPlaintext, wrongPassword: true),
            "guarded-foreign-ca" => GuardedForeignCaAsync,
            "plain-describe" => PlainDescribeAsync,
            "guarded-dispose-while-pending" => GuardedDisposeWhilePendingAsync,
            "product-broker-stopped-mid-listing" => ProductBrokerStoppedMidListingAsync,
            "product-coordinator-lookup-outlives-timeout" => ProductCoordinatorLookupOutlivesTimeoutAsync,
            "chaos" => n => GroupChaosProbe.RunAsync(n, Only ?? "all"),
            _ => throw new ArgumentException($"Unknown probe scenario '{scenario}'."),
        };
        try
        {
            run(iterations).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            // A managed failure of the probe itself, not an abort: exit 2.
            Report("probe-failed", ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" "));
            return 2;
        }

        Report("survived", "true");
        return 0;
    }

    /// <summary>
    /// Optional 4th argument: run only this admin call (list, describe, offsets, listoffsets, metadata,
    /// configs, brokerconfigs, alterconfigs, product), or every one but ListConsumerGroups (no-list).
    /// </summary>
    private static string? Only { get; set; }

    private static Task<int> Call(string name, Func<Task> call) =>
        Only is null || Only == name || name == "recovery" || (Only == "no-list" && name != "list") ? FailsAsync(call) : Task.FromResult(0);

    internal static void Report(string key, object? value) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PROBE {key}={value}"));

    /// <summary>
    /// The coordinator lookup (FindCoordinator) answers after the admin request's timeout: the
    /// request fails with a timeout, then the late answer lets librdkafka send the coordinator
    /// request of an admin request that no longer exists.
    /// </summary>
    private static async Task CoordinatorLookupOutlivesTimeoutAsync(int iterations, bool guarded)
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3, OffsetsTopicPartitions = 6 });
        var topic = "probe-topic";
        cluster.State.CreateTopic(topic, 3, 1);
        using var factory = Plain(cluster, TimeSpan.FromSeconds(10));
        var admin = factory.AdminClient;
        var timeouts = 0;
        for (var i = 0; i < iterations; i++)
        {
            var group = $"probe-late-{i}";
            cluster.State.CommitOffsets(group, topic, [1, 2, 3]);
            var before = cluster.RequestCount(ApiKeys.FindCoordinator);
            cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(1500), apiKey: ApiKeys.FindCoordinator);
            var t = TimeSpan.FromMilliseconds(500);
            timeouts += i % 2 == 0
                ? await Admin("describe", guarded, t, n => admin.DescribeConsumerGroupsAsync([group], new DescribeConsumerGroupsOptions { RequestTimeout = n }))
                : await Admin("offsets", guarded, t, n => admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, null)], new ListConsumerGroupOffsetsOptions { RequestTimeout = n }));
            await WaitUntilAsync(() => cluster.RequestCount(ApiKeys.FindCoordinator) > before, TimeSpan.FromSeconds(10));
            cluster.Faults.ClearLatency();
            Report("step", "late FindCoordinator answered");

            // A later call on the same client runs after the late FindCoordinator answer was handled.
            await admin.DescribeConsumerGroupsAsync([group + "-after"], new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
            Report("iteration", i);
        }

        Report("timeouts", timeouts);
    }

    /// <summary>Control: the same admin calls against a healthy cluster.</summary>
    private static async Task PlainDescribeAsync(int iterations)
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3, OffsetsTopicPartitions = 6 });
        Report("cluster", cluster.BootstrapServers);
        cluster.State.CreateTopic("probe-topic", 3, 1);
        using var factory = Plain(cluster, TimeSpan.FromSeconds(10));
        for (var i = 0; i < iterations; i++)
        {
            var group = $"probe-ok-{i}";
            var many = Enumerable.Range(0, 12).Select(g => $"{group}-{g}").ToArray();
            foreach (var g in many)
            {
                cluster.State.CommitOffsets(g, "probe-topic", [1, 2, 3]);
            }

            cluster.State.CommitOffsets(group, "probe-topic", [1, 2, 3]);
            await factory.AdminClient.DescribeConsumerGroupsAsync([group], new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
            Report("step", "one group described");
            await factory.AdminClient.DescribeConsumerGroupsAsync(many, new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
            await factory.AdminClient.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, null)], new ListConsumerGroupOffsetsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
            Report("iteration", i);
        }
    }

    /// <summary>The coordinator of the groups stops, admin calls time out waiting for it, then it starts again.</summary>
    private static async Task CoordinatorDownThenUpAsync(int iterations, bool guarded)
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3, OffsetsTopicPartitions = 6 });
        var topic = "probe-topic";
        cluster.State.CreateTopic(topic, 3, 1);
        using var factory = Plain(cluster, TimeSpan.FromSeconds(10));
        var admin = factory.AdminClient;
        var timeouts = 0;
        for (var i = 0; i < iterations; i++)
        {
            var groups = Enumerable.Range(0, 12).Select(g => $"probe-bounce-{i}-{g}").ToArray();
            foreach (var g in groups)
            {
                cluster.State.CommitOffsets(g, topic, [1, 2, 3]);
            }

            // Learn the coordinators first (cached by librdkafka), then stop one of them.
            if (await Admin("recovery", guarded, TimeSpan.FromSeconds(30), n => admin.DescribeConsumerGroupsAsync(groups, new DescribeConsumerGroupsOptions { RequestTimeout = n })) > 0)
            {
                Report("step", "the coordinators could not be learned");
            }

            var victim = cluster.State.CoordinatorFor(groups[0]);
            var onVictim = groups.Where(g => cluster.State.CoordinatorFor(g) == victim).ToArray();
            await cluster.StopBrokerAsync(victim);
            Report("step", $"stopped coordinator {victim} of {onVictim.Length} groups");
            var short1 = TimeSpan.FromMilliseconds(700);
            var calls = new List<Task<int>>();
            foreach (var g in onVictim)
            {
                calls.Add(Admin("describe", guarded, short1, n => admin.DescribeConsumerGroupsAsync([g], new DescribeConsumerGroupsOptions { RequestTimeout = n })));
                calls.Add(Admin("offsets", guarded, short1, n => admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(g, null)], new ListConsumerGroupOffsetsOptions { RequestTimeout = n })));
                calls.Add(Admin("listoffsets", guarded, short1, n => admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition(topic, 0), OffsetSpec = OffsetSpec.Latest() }], new ListOffsetsOptions { RequestTimeout = n })));
            }

            calls.Add(Admin("list", guarded, short1, n => admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = n })));
            timeouts += (await Task.WhenAll(calls)).Sum();
            Report("step", "calls failed while the coordinator was down");
            await cluster.StartBrokerAsync(victim);

            // Round trips through the restarted coordinator: the client has seen it come back.
            // (Whether each answers is not the point; that the process survives the coordinator's return is.)
            var recoveryFailures = 0;
            foreach (var g in onVictim)
            {
                recoveryFailures += await Admin("recovery", guarded, TimeSpan.FromSeconds(30), n => admin.DescribeConsumerGroupsAsync([g], new DescribeConsumerGroupsOptions { RequestTimeout = n }));
            }

            Report("step", $"coordinator back, {recoveryFailures} of {onVictim.Length} describes failed after its return");
            Report("iteration-done", i);

            Report("iteration", i);
        }

        Report("timeouts", timeouts);
    }

    /// <summary>
    /// Guarded calls leave their native request pending for up to an hour; disposing the client
    /// while they wait for a stopped coordinator (and starting it again afterwards) must be safe.
    /// </summary>
    private static async Task GuardedDisposeWhilePendingAsync(int iterations)
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3, OffsetsTopicPartitions = 6 });
        cluster.State.CreateTopic("probe-topic", 3, 1);
        var pending = 0;
        for (var i = 0; i < iterations; i++)
        {
            var groups = Enumerable.Range(0, 6).Select(g => $"probe-dispose-{i}-{g}").ToArray();
            foreach (var g in groups)
            {
                cluster.State.CommitOffsets(g, "probe-topic", [1, 2, 3]);
            }

            var factory = Plain(cluster, TimeSpan.FromSeconds(10));
            var admin = factory.AdminClient;
            await admin.DescribeConsumerGroupsAsync(groups, new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
            var victim = cluster.State.CoordinatorFor(groups[0]);
            var onVictim = groups.Where(g => cluster.State.CoordinatorFor(g) == victim).ToArray();
            await cluster.StopBrokerAsync(victim);

            // Slow coordinator lookups keep the calls pending natively past their timeout, whatever librdkafka knows yet.
            cluster.Faults.AddLatency(TimeSpan.FromSeconds(2), apiKey: ApiKeys.FindCoordinator);
            var t = TimeSpan.FromMilliseconds(500);
            var calls = onVictim
                .SelectMany(g => new[]
                {
                    Admin("describe", true, t, n => admin.DescribeConsumerGroupsAsync([g], new DescribeConsumerGroupsOptions { RequestTimeout = n })),
                    Admin("offsets", true, t, n => admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(g, null)], new ListConsumerGroupOffsetsOptions { RequestTimeout = n })),
                })
                .Append(Admin("list", true, t, n => admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = n })))
                .ToArray();
            pending += (await Task.WhenAll(calls)).Sum();
            factory.Dispose();
            Report("step", "disposed with native requests pending");
            cluster.Faults.ClearLatency();
            await cluster.StartBrokerAsync(victim);
            using var next = Plain(cluster, TimeSpan.FromSeconds(30));
            await next.AdminClient.DescribeConsumerGroupsAsync(groups, new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
            Report("iteration", i);
        }

        Report("timeouts", pending);
    }

    /// <summary>
    /// What BrokerStoppedMidListingTests does, round after round: Get-KafkaConsumerGroupOffset over a
    /// wildcard while the coordinator of some of the groups stops, then starts again.
    /// </summary>
    /// <summary>
    /// ConsumerGroupService's coordinator calls (offsets, describe, reset, remove) while FindCoordinator answers
    /// later than the request timeout: unguarded, librdkafka aborts when the late answer arrives.
    /// </summary>
    private static async Task ProductCoordinatorLookupOutlivesTimeoutAsync(int iterations)
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3, OffsetsTopicPartitions = 6 });
        var topic = "probe-topic";
        cluster.State.CreateTopic(topic, 3, 1);
        using var factory = Plain(cluster, TimeSpan.FromMilliseconds(500));
        var service = new ConsumerGroupService(factory);
        var failures = 0;
        for (var i = 0; i < iterations; i++)
        {
            var group = $"probe-product-late-{i}";
            cluster.State.CommitOffsets(group, topic, [1, 2, 3]);
            var before = cluster.RequestCount(ApiKeys.FindCoordinator);
            cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(1500), apiKey: ApiKeys.FindCoordinator);
            Func<Task> call = (i % 4) switch
            {
                0 => async () => await service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [group] }, e => throw e).ToListAsync(),
                1 => () => service.DescribeOneAsync(group, CancellationToken.None),
                2 => () => service.ApplyResetAsync(group, [new KafkaConsumerGroupOffsetReset { GroupId = group, Topic = topic, Partition = 0, NewOffset = 0, Status = "Planned" }]),
                _ => () => service.RemoveAsync(group, topic),
            };
            try
            {
                await call();
            }
            catch (KafkaCatalogException ex)
            {
                failures++;
                Report("failure", ex.ErrorId);
            }

            await WaitUntilAsync(() => cluster.RequestCount(ApiKeys.FindCoordinator) > before, TimeSpan.FromSeconds(10));
            cluster.Faults.ClearLatency();
            Report("step", "late FindCoordinator answered");

            // The same client goes on working after the late answer was handled (its first call may still time out
            // while librdkafka finishes the abandoned request: asked again, bounded).
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await factory.AdminClient.DescribeConsumerGroupsAsync([group + "-after"], new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
                    Report("after-attempts", attempt);
                    break;
                }
                catch (DescribeConsumerGroupsException ex) when (attempt < 10 && ex.Results.ConsumerGroupDescriptions.All(d => d.Error.Code is ErrorCode.Local_TimedOut or ErrorCode.Local_TimedOutQueue))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500));
                }
            }

            Report("iteration", i);
        }

        Report("failures", failures);
    }

    private static async Task ProductBrokerStoppedMidListingAsync(int iterations)
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        cluster.State.CreateTopic("probe-topic", 3, 1);
        var factories = new List<KafkaClientFactory>();
        var itemErrors = 0;
        try
        {
            for (var i = 0; i < iterations; i++)
            {
                var ids = Enumerable.Range(0, 30).Select(g => $"probe-stop-{i}-{g:D2}").ToArray();
                foreach (var id in ids)
                {
                    cluster.State.CommitOffsets(id, "probe-topic", [10, 20, 30]);
                }

                var victim = cluster.Brokers.Select(b => b.Id)
                    .First(b => ids.Any(id => cluster.State.CoordinatorFor(id) == b));
                var factory = Plain(cluster, TimeSpan.FromSeconds(3));
                factories.Add(factory);
                var service = new ConsumerGroupService(factory);
                var stopped = false;
                try
                {
                    await foreach (var _ in service.GetOffsetsAsync(new ConsumerGroupQuery { GroupIds = [$"probe-stop-{i}-*"], BatchSize = 5, MaxConcurrency = 2 }, _ => itemErrors++))
                    {
                        if (!stopped)
                        {
                            stopped = true;
                            await cluster.StopBrokerAsync(victim);
                        }
                    }
                }
                finally
                {
                    await cluster.StartBrokerAsync(victim);
                }

                Report("iteration", i);
            }
        }
        finally
        {
            foreach (var f in factories)
            {
                f.Dispose();
            }
        }

        Report("item-errors", itemErrors);
    }

    /// <summary>TLS the client does not trust, or a wrong SASL password: every admin path, many times, then dispose.</summary>
    private static async Task SecurityFailureAsync(int iterations, TkProtocol protocol, bool wrongPassword)
    {
        using var ca = TestCertificateAuthority.Create();
        using var foreignCa = TestCertificateAuthority.Create("Some other CA");
        var security = new KafkaSecurityOptions { Protocol = protocol };
        security.AddUser("ops", "right-Password-1");
        if (protocol is TkProtocol.Ssl or TkProtocol.SaslSsl)
        {
            security.CertificateAuthority = ca;
        }

        var options = new KafkaTestClusterOptions { Brokers = 3, OffsetsTopicPartitions = 6 };
        options.UseSecurity(security);
        await using var cluster = await KafkaTestCluster.StartAsync(options);
        cluster.State.CreateTopic("probe-topic", 3, 1);
        cluster.State.CommitOffsets("probe-group", "probe-topic", [1, 2, 3]);
        var settings = new KafkaConnectionSettings
        {
            BootstrapServers = cluster.BootstrapServers,
            SecurityProtocol = protocol switch
            {
                TkProtocol.Ssl => Core.Connections.KafkaSecurityProtocol.Ssl,
                TkProtocol.SaslSsl => Core.Connections.KafkaSecurityProtocol.SaslSsl,
                _ => Core.Connections.KafkaSecurityProtocol.SaslPlaintext,
            },
            SaslMechanism = protocol == TkProtocol.Ssl ? null : KafkaSaslMechanism.ScramSha256,
            SaslUsername = protocol == TkProtocol.Ssl ? null : "ops",
            SaslPassword = protocol == TkProtocol.Ssl ? null : new NetworkCredential(string.Empty, wrongPassword ? "wrong-Password-2" : "right-Password-1").SecurePassword,
            SslCaLocation = protocol == TkProtocol.SaslPlaintext ? null : foreignCa.CaPemPath,
            RequestTimeout = TimeSpan.FromSeconds(2),
        };
        var failures = 0;
        for (var i = 0; i < iterations; i++)
        {
            // A new client per round as a new PowerShell session would, and one shared client over the rounds.
            using var factory = new KafkaClientFactory(new KafkaConnection("probe", KafkaConnectionResolver.Resolve(settings, null, null).Options));
            var admin = factory.AdminClient;
            var t = TimeSpan.FromMilliseconds(800);
            var calls = new[]
            {
                Call("list", () => admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = t })),
                Call("describe", () => admin.DescribeConsumerGroupsAsync(["probe-group"], new DescribeConsumerGroupsOptions { RequestTimeout = t })),
                Call("offsets", () => admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("probe-group", null)], new ListConsumerGroupOffsetsOptions { RequestTimeout = t })),
                Call("listoffsets", () => admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition("probe-topic", 0), OffsetSpec = OffsetSpec.Latest() }], new ListOffsetsOptions { RequestTimeout = t })),
                Call("metadata", () => Task.Run(() => admin.GetMetadata(t))),
                Call("configs", () => admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "probe-topic" }], new DescribeConfigsOptions { RequestTimeout = t })),
                Call("brokerconfigs", () => admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "1" }], new DescribeConfigsOptions { RequestTimeout = t })),
                Call("alterconfigs", () => admin.IncrementalAlterConfigsAsync(
                    new Dictionary<ConfigResource, List<ConfigEntry>> { [new ConfigResource { Type = ResourceType.Topic, Name = "probe-topic" }] = [new ConfigEntry { Name = "retention.ms", Value = "1234", IncrementalOperation = AlterConfigOpType.Set }] },
                    new IncrementalAlterConfigsOptions { RequestTimeout = t })),
            };
            failures += (await Task.WhenAll(calls)).Sum();
            Report("step", "raw admin calls returned");

            // Through the product: the guard must turn this into a specific error.
            if (Only is not null && Only != "product")
            {
                Report("iteration", i);
                continue;
            }

            try
            {
                await new ConsumerGroupService(factory).ListGroupListingsAsync([], null, CancellationToken.None);
                Report("unexpected", "listing succeeded");
            }
            catch (KafkaCatalogException ex)
            {
                Report("error", ex.ErrorId);
            }

            Report("iteration", i);
        }

        Report("failures", failures);
    }

    /// <summary>Get-KafkaConsumerGroup's paths with a CA the brokers do not use: every one must be a clean KafkaTlsFailed.</summary>
    private static async Task GuardedForeignCaAsync(int iterations)
    {
        using var ca = TestCertificateAuthority.Create();
        using var foreignCa = TestCertificateAuthority.Create("Some other CA");
        const string password = "guard-Secret-81";
        var security = new KafkaSecurityOptions { Protocol = TkProtocol.SaslSsl, CertificateAuthority = ca };
        security.AddUser("ops", password);
        var options = new KafkaTestClusterOptions { Brokers = 3, OffsetsTopicPartitions = 6 };
        options.UseSecurity(security);
        await using var cluster = await KafkaTestCluster.StartAsync(options);
        cluster.State.CreateTopic("probe-topic", 2, 1);
        cluster.State.CommitOffsets("probe-group", "probe-topic", [5, 6]);
        var settings = new KafkaConnectionSettings
        {
            BootstrapServers = cluster.BootstrapServers,
            SecurityProtocol = Core.Connections.KafkaSecurityProtocol.SaslSsl,
            SaslMechanism = KafkaSaslMechanism.ScramSha512,
            SaslUsername = "ops",
            SaslPassword = new NetworkCredential(string.Empty, password).SecurePassword,
            SslCaLocation = foreignCa.CaPemPath,
            RequestTimeout = TimeSpan.FromSeconds(3),
        };
        Report("bootstrap", cluster.BootstrapServers);
        var groupRequestsBefore = GroupRequestCount(cluster);
        for (var i = 0; i < iterations; i++)
        {
            using var factory = new KafkaClientFactory(new KafkaConnection("probe", KafkaConnectionResolver.Resolve(settings, null, null).Options));
            var service = new ConsumerGroupService(factory);
            Func<Task>[] paths =
            [
                () => service.ListGroupListingsAsync([], null, CancellationToken.None),
                () => service.ListAsync(new ConsumerGroupQuery()).ToListAsync(),
                () => service.ListAsync(new ConsumerGroupQuery { GroupIds = ["probe-*"] }).ToListAsync(),
            ];
            foreach (var path in paths)
            {
                try
                {
                    await path();
                    Report("unexpected", "call succeeded");
                }
                catch (KafkaCatalogException ex)
                {
                    Report("error", $"{ex.ErrorId}|{ex.Kind}|{ex.Message.Contains(cluster.BootstrapServers, StringComparison.Ordinal)}|{ex.ToString().Contains(password, StringComparison.Ordinal)}");
                }
            }
        }

        // The brokers never got as far as a group request: the TLS handshake fails first.
        Report("group-requests", GroupRequestCount(cluster) - groupRequestsBefore);
    }

    private static int GroupRequestCount(KafkaTestCluster cluster) =>
        cluster.RequestCount(ApiKeys.ListGroups) + cluster.RequestCount(ApiKeys.DescribeGroups) + cluster.RequestCount(ApiKeys.OffsetFetch);

    private static KafkaClientFactory Plain(KafkaTestCluster cluster, TimeSpan requestTimeout) =>
        new(new KafkaConnection("probe", KafkaConnectionResolver.Resolve(
            new KafkaConnectionSettings { BootstrapServers = cluster.BootstrapServers, RequestTimeout = requestTimeout }, null, null).Options));

    /// <summary>An admin call, straight (librdkafka's own timeout) or through <see cref="ClusterReachabilityGuard.AdminCallAsync{T}"/>; 1 when it failed.</summary>
    private static Task<int> Admin<T>(string name, bool guarded, TimeSpan timeout, Func<TimeSpan, Task<T>> call) =>
        Call(name, () => guarded ? ClusterReachabilityGuard.AdminCallAsync(call, timeout, CancellationToken.None) : call(timeout));

    /// <summary>1 when the call failed (any Kafka error), 0 when it succeeded.</summary>
    private static async Task<int> FailsAsync(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return 0;
        }
        catch (KafkaException)
        {
            return 1;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException("The probe's condition did not come true in time.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }
}

/// <summary>Runs <see cref="AdminAbortProbe"/> in a child process and collects what it printed.</summary>
public static class AdminAbortProbeProcess
{
    public sealed record Outcome(int ExitCode, bool TimedOut, IReadOnlyList<string> Lines, string StandardError)
    {
        public bool Aborted => ExitCode == 134 || StandardError.Contains("Assertion", StringComparison.Ordinal);

        public IEnumerable<string> Values(string key) =>
            Lines.Where(l => l.StartsWith("PROBE " + key + "=", StringComparison.Ordinal)).Select(l => l[("PROBE " + key + "=").Length..]);

        public override string ToString() =>
            $"exit {ExitCode}{(TimedOut ? " (killed: timed out)" : string.Empty)}{Environment.NewLine}{string.Join(Environment.NewLine, Lines)}{Environment.NewLine}{StandardError}";
    }

    public static async Task<Outcome> RunAsync(string scenario, int iterations, TimeSpan limit, string? only = null)
    {
        var assembly = typeof(AdminAbortProbe).Assembly.Location;
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host))
        {
            host = "dotnet";
        }

        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        foreach (var arg in new[] { "exec", assembly, "probe", scenario, iterations.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        if (only is not null)
        {
            start.ArgumentList.Add(only);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The probe process did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Outcome(timedOut ? -1 : process.ExitCode, timedOut, lines, await stderr);
    }
}
