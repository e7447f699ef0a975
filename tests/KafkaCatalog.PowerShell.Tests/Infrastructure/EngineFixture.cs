using System.Net;
using System.Net.Sockets;
using KafkaCatalog.TestKit.Atlan;
using KafkaCatalog.TestKit.Kafka;
using KafkaCatalog.TestKit.Kafka.Log;
using KafkaCatalog.TestKit.Polaris;
using KafkaCatalog.TestKit.Sandbox;

namespace KafkaCatalog.PowerShell.Tests.Infrastructure;

/// <summary>
/// One seeded 3-broker TestKit cluster (orders, payments, clicks, tmp-scratch and their groups),
/// a 1-broker cluster with the authorizer on (anonymous is a super user) for ACL and broker-config
/// changes, an Atlan and a Polaris emulator for every test of the assembly, and a runspace per test.
/// </summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public KafkaTestCluster Cluster { get; private set; } = null!;

    /// <summary>Authorizer on, User:ANONYMOUS a super user: ACL cmdlets work, and broker configs changed here touch no other test.</summary>
    public KafkaTestCluster AclCluster { get; private set; } = null!;

    public AtlanEmulator Atlan { get; private set; } = null!;

    public PolarisEmulator Polaris { get; private set; } = null!;

    public string BootstrapServers => Cluster.BootstrapServers;

    public async Task InitializeAsync()
    {
        Cluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 3 });
        SandboxSeeder.Seed(Cluster);
        AclCluster = await KafkaTestCluster.StartAsync(new KafkaTestClusterOptions { Brokers = 1, EnableAcls = true, SuperUsers = { "User:ANONYMOUS" } });
        Atlan = await AtlanEmulator.StartAsync();
        Polaris = await PolarisEmulator.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Polaris.DisposeAsync();
        await Atlan.DisposeAsync();
        await AclCluster.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    /// <summary>A runspace with the module imported and $bs, $aclbs, $atlanUri, $atlanToken, $polarisUri, $polarisKey set.</summary>
    public Engine Open(System.Management.Automation.Host.PSHost? host = null)
    {
        var engine = Engine.Open(host);
        engine.SetVariable("bs", BootstrapServers);
        engine.SetVariable("aclbs", AclCluster.BootstrapServers);
        engine.SetVariable("atlanUri", Atlan.BaseUri.ToString());
        engine.SetVariable("atlanToken", Secure(Atlan.ApiToken));
        engine.SetVariable("polarisUri", Polaris.BaseUri.ToString());
        engine.SetVariable("polarisProject", Polaris.ProjectId);
        engine.SetVariable("polarisKey", Secure(Polaris.ApiKey));
        return engine;
    }

    /// <summary>A topic that only this test uses.</summary>
    public string NewTopic(int partitions = 3, string prefix = "ps")
    {
        var name = Unique(prefix);
        Cluster.State.CreateTopic(name, Cluster.State.AssignReplicas(partitions, 3), new Dictionary<string, string>());
        return name;
    }

    /// <summary>Appends <paramref name="count"/> small records ("key-i" / "value-i") to one partition.</summary>
    public void AppendRecords(string topic, int partition, int count)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var records = Enumerable.Range(0, count).Select(i => new SeedRecord($"key-{i}", $"value-{i}", now)).ToList();
        Cluster.State.AppendRecords(topic, partition, records);
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)];

    public static System.Security.SecureString Secure(string text)
    {
        var s = new System.Security.SecureString();
        foreach (var c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }
}

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}

/// <summary>127.0.0.1 addresses that do not answer Kafka: a closed port, and a listener that accepts and never answers.</summary>
public static class DeadEndpoints
{
    /// <summary>A port that was free a moment ago (connections are refused).</summary>
    public static string ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return $"127.0.0.1:{port}";
    }
}

/// <summary>
/// Accepts TCP connections and never writes a byte (a hung broker, a wrong service behind the port);
/// knows which connections the client still holds open.
/// </summary>
public sealed class SilentListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private int _open;

    public SilentListener()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Connections accepted so far.</summary>
    public int Accepted
    {
        get
        {
            lock (_accepted)
            {
                return _accepted.Count;
            }
        }
    }

    /// <summary>Accepted connections the client has not closed yet.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>True once the client closed every connection it opened, within <paramref name="limit"/>.</summary>
    public bool WaitUntilClientClosedAll(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (Open > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(50);
        }

        return true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }

                Interlocked.Increment(ref _open);
                _ = WatchAsync(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    /// <summary>Reads (and ignores) what the client sends until it closes the connection.</summary>
    private async Task WatchAsync(Socket socket)
    {
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return; // the listener stopped
        }
        catch (SocketException)
        {
            // reset by the client: closed too
        }

        Interlocked.Decrement(ref _open);
    }
}

/// <summary>
/// The tests that mostly wait on addresses that never answer (Stop latency, one KafkaClusterUnreachable
/// per command): a fixture of their own, so xunit runs them beside the engine collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DeadEndCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine-dead-ends";
}
