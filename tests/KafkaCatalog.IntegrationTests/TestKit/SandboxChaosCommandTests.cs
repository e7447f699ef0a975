using System.Net.Sockets;
using Confluent.Kafka;
using KafkaCatalog.TestKit;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Log;
using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Sandbox;

namespace KafkaCatalog.IntegrationTests.TestKit;

/// <summary>The sandbox's chaos commands (standard input of <c>serve</c>): what each one does to the cluster, and the serve loop.</summary>
public sealed class SandboxChaosCommandTests
{
    [Fact]
    public async Task Stop_broker_closes_its_port_and_start_broker_opens_it_again()
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        var commands = new SandboxCommands(cluster);
        var broker = cluster.Brokers.Single(b => b.Id == 2);

        Assert.StartsWith("ok broker 2 stopped", await commands.ExecuteAsync("stop-broker 2"));
        Assert.False(broker.IsAlive);
        Assert.Throws<SocketException>(() => new TcpClient().Connect(broker.Host, broker.Port));
        Assert.Equal("ok broker 2 was already stopped", await commands.ExecuteAsync("stop-broker 2"));
        Assert.Equal("ok broker 1 running, broker 2 stopped, broker 3 running, no latency", await commands.ExecuteAsync("status"));

        // A client sees only the brokers still running.
        using (var admin = Admin(cluster))
        {
            Assert.Equal([1, 3], admin.GetMetadata(TimeSpan.FromSeconds(20)).Brokers.Select(b => b.BrokerId).Order());
        }

        Assert.Equal($"ok broker 2 started on {broker.Host}:{broker.Port}", await commands.ExecuteAsync("start-broker 2"));
        Assert.True(broker.IsAlive);
        using (var client = new TcpClient())
        {
            client.Connect(broker.Host, broker.Port);
        }

        Assert.Equal($"ok broker 2 was already running on {broker.Host}:{broker.Port}", await commands.ExecuteAsync("start-broker 2"));
    }

    [Theory]
    [InlineData("stop-broker 9", "error no broker 9; the brokers are 1, 2, 3")]
    [InlineData("start-broker 0", "error no broker 0; the brokers are 1, 2, 3")]
    [InlineData("stop-broker", "error stop-broker takes one argument (broker id), e.g. 'stop-broker 2'")]
    [InlineData("stop-broker 1 2", "error stop-broker takes one argument (broker id), e.g. 'stop-broker 2'")]
    [InlineData("stop-broker two", "error 'two' is not a number (broker id)")]
    [InlineData("latency -5", "error '-5' is not a number (milliseconds)")]
    [InlineData("latency 60001", "error latency must be between 0 and 60000 ms")]
    [InlineData("latency", "error latency takes one argument (milliseconds), e.g. 'latency 250'")]
    [InlineData("drop-connections now", "error drop-connections takes no argument")]
    [InlineData("reboot", "error unknown command 'reboot'; " + SandboxCommands.Help)]
    public async Task A_bad_command_is_one_error_line_and_changes_nothing(string line, string answer)
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        var commands = new SandboxCommands(cluster);

        Assert.Equal(answer, await commands.ExecuteAsync(line));
        Assert.All(cluster.Brokers, b => Assert.True(b.IsAlive));
        Assert.Equal("ok broker 1 running, broker 2 running, broker 3 running, no latency", await commands.ExecuteAsync("status"));
    }

    [Fact]
    public async Task Latency_holds_every_request_until_latency_0_turns_it_off()
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        var commands = new SandboxCommands(cluster);

        Assert.Equal("ok latency 4000 ms per request on every broker", await commands.ExecuteAsync("latency 4000"));
        Assert.EndsWith("latency 4000 ms", await commands.ExecuteAsync("status"));
        using (var admin = Admin(cluster))
        {
            // Every request (the connection's ApiVersions first) waits 4 s before it is handled: nothing answers within 1 s.
            Assert.Throws<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(1)));
        }

        Assert.Equal("ok latency off", await commands.ExecuteAsync("latency 0"));
        Assert.EndsWith("no latency", await commands.ExecuteAsync("status"));
        using (var admin = Admin(cluster))
        {
            Assert.Equal(3, admin.GetMetadata(TimeSpan.FromSeconds(20)).Brokers.Count);
        }
    }

    [Fact]
    public async Task Drop_connections_closes_the_clients_connections_and_they_reconnect()
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        var commands = new SandboxCommands(cluster);
        await using var wire = await KafkaWireClient.ConnectAsync("127.0.0.1", cluster.Brokers[0].Port);
        await wire.RequestAsync(ApiKeys.ApiVersions, 0, KafkaWireClient.NewRequest(ApiKeys.ApiVersions));

        var answer = await commands.ExecuteAsync("drop-connections");

        Assert.Matches(@"^ok dropped [1-9]\d* connection\(s\)$", answer);
        Assert.Null(await wire.ReadFrameAsync());
        using var admin = Admin(cluster);
        Assert.Equal(3, admin.GetMetadata(TimeSpan.FromSeconds(20)).Brokers.Count);
    }

    [Fact]
    public async Task Serve_answers_each_command_line_in_order_and_stops_at_end_of_input()
    {
        var stdout = new StringWriter();
        var input = string.Join('\n', "stop-broker 1", "", "# a comment is not a command", "status", "start-broker 1", "bogus", "status");

        var rc = await Cli.RunAsync(["serve", "--no-seed"], stdout, new StringWriter(), new StringReader(input));

        Assert.Equal(0, rc);
        var lines = stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(["broker 1:", "broker 2:", "broker 3:"], lines.Where(l => l.StartsWith("broker ", StringComparison.Ordinal)).Select(l => l.Split(' ')[0] + " " + l.Split(' ')[1]));
        var answers = lines.Where(l => l.StartsWith("ok ", StringComparison.Ordinal) || l.StartsWith("error ", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, answers.Count);
        Assert.StartsWith("ok broker 1 stopped", answers[0]);
        Assert.Equal("ok broker 1 stopped, broker 2 running, broker 3 running, no latency", answers[1]);
        Assert.StartsWith("ok broker 1 started on 127.0.0.1:", answers[2]);
        Assert.StartsWith("error unknown command 'bogus'", answers[3]);
        Assert.Equal("ok broker 1 running, broker 2 running, broker 3 running, no latency", answers[4]);
        Assert.True(lines.IndexOf(lines.First(l => l.StartsWith("Ready.", StringComparison.Ordinal))) < lines.IndexOf(answers[0]));
        Assert.Equal("Stopping.", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public async Task Serve_with_ignore_stdin_never_reads_standard_input()
    {
        var stdout = new StringWriter();
        var stdin = new RecordingReader();
        using var stop = new CancellationTokenSource();

        var serve = Cli.RunAsync(["serve", "--no-seed", "--ignore-stdin"], new SynchronizedWriter(stdout, stop), new StringWriter(), stdin, stop.Token);

        Assert.Equal(0, await serve.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, stdin.Reads);
        Assert.Contains("Ready. Stop with Ctrl+C or SIGTERM.", stdout.ToString());
        Assert.DoesNotContain("\nok ", stdout.ToString());
    }

    [Fact]
    public async Task Health_commands_put_a_partition_into_the_states_a_client_sees_and_restore_it()
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        cluster.State.CreateTopic("health", 2, 3);
        cluster.State.AppendRecords("health", 0, Enumerable.Range(0, 10).Select(i => new SeedRecord(null, $"v{i}", 1_700_000_000_000 + i)).ToList());
        var commands = new SandboxCommands(cluster);
        using var admin = Admin(cluster);
        PartitionMetadata Seen(int partition) =>
            admin.GetMetadata("health", TimeSpan.FromSeconds(20)).Topics.Single().Partitions.Single(p => p.PartitionId == partition);

        Assert.StartsWith("ok health[0] leader -1, replicas", await commands.ExecuteAsync("offline-partition health 0"));
        Assert.Equal(-1, Seen(0).Leader);
        Assert.Empty(Seen(0).InSyncReplicas);

        var preferred = cluster.State.GetPartition("health", 1)!.Replicas[0];
        Assert.StartsWith("ok health[1]", await commands.ExecuteAsync($"shrink-isr health 1 {preferred}"));
        Assert.Equal([preferred], Seen(1).InSyncReplicas);
        Assert.Equal(3, Seen(1).Replicas.Length);

        Assert.EndsWith("log start 4, high watermark 10", await commands.ExecuteAsync("move-log-start health 0 4"));
        Assert.Equal(4, cluster.State.GetPartition("health", 0)!.LogStartOffset);

        Assert.StartsWith($"ok health[0] leader {cluster.State.GetPartition("health", 0)!.Replicas[0]}", await commands.ExecuteAsync("restore-partition health 0"));
        Assert.Equal(cluster.State.GetPartition("health", 0)!.Replicas[0], Seen(0).Leader);
        Assert.Equal(3, Seen(0).InSyncReplicas.Length);
        Assert.Contains(SandboxHealthCommands.Help, await commands.ExecuteAsync("help"));
    }

    [Theory]
    [InlineData("offline-partition health", "error offline-partition takes a topic and a partition, e.g. 'offline-partition orders 0'")]
    [InlineData("offline-partition health x", "error 'x' is not a number (partition)")]
    [InlineData("offline-partition nosuch 0", "error no partition nosuch[0]")]
    [InlineData("shrink-isr health 0 9", "error ISR [9] is not a subset of the replicas")]
    [InlineData("shrink-isr health 0 a", "error 'a' is not a number (broker id)")]
    [InlineData("move-log-start health 0 99", "error 99 is past the high watermark 0 of health-0")]
    [InlineData("move-log-start health 0", "error move-log-start takes a topic, a partition and an offset, e.g. 'move-log-start orders 0 5'")]
    public async Task Health_commands_refuse_bad_arguments_and_change_nothing(string command, string answer)
    {
        await using var cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        cluster.State.CreateTopic("health", 1, 3);
        var before = cluster.State.GetPartition("health", 0)!.ToString();

        Assert.StartsWith(answer, await new SandboxCommands(cluster).ExecuteAsync(command));
        Assert.Equal(before, cluster.State.GetPartition("health", 0)!.ToString());
        Assert.Equal(0, cluster.State.GetPartition("health", 0)!.LogStartOffset);
    }

    private static IAdminClient Admin(KafkaTestCluster cluster) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();

    /// <summary>Standard input that counts every read (and would hand the serve loop a command).</summary>
    private sealed class RecordingReader : TextReader
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public override string? ReadLine()
        {
            Interlocked.Increment(ref _reads);
            return "stop-broker 1";
        }

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => new(ReadLine());
    }

    /// <summary>Stops the serve command (as SIGTERM would) once it printed its Ready line.</summary>
    private sealed class SynchronizedWriter(StringWriter inner, CancellationTokenSource stop) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            lock (inner)
            {
                inner.Write(value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            lock (inner)
            {
                inner.WriteLine(value);
            }

            if (value?.StartsWith("Ready.", StringComparison.Ordinal) == true)
            {
                stop.Cancel();
            }

            return Task.CompletedTask;
        }
    }
}
