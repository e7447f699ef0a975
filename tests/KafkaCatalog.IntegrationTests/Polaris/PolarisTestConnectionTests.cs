using System.Net;
using System.Net.Sockets;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.TestKit.Polaris;
using static KafkaCatalog.IntegrationTests.Polaris.PolarisTest;

namespace KafkaCatalog.IntegrationTests.Polaris;

public sealed class PolarisTestConnectionTests
{
    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    internal static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Unreachable_bootstrap_servers_fail_with_the_reason()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        var port = ClosedPort();
        await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Name = "down", BootstrapServers = $"127.0.0.1:{port}", TopicName = "clicks" });

        var result = await client.TestKafkaConnectionAsync("down");

        Assert.False(result.Succeeded);
        Assert.Equal("PolarisConnectionTestFailed", result.ErrorId);
        Assert.Contains("Unable to connect to any bootstrap server", result.Reason);
        Assert.Contains($"127.0.0.1:{port}: ConnectionRefused", result.Reason);
    }

    [Fact]
    public async Task A_server_that_hangs_up_is_reported_as_needing_tls_or_sasl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var hangUp = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            socket.Close();
        });
        try
        {
            await using var polaris = await PolarisEmulator.StartAsync();
            using var client = Client(polaris);
            await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Name = "closing", BootstrapServers = $"127.0.0.1:{port}", TopicName = "clicks" });

            var result = await client.TestKafkaConnectionAsync("closing");

            Assert.False(result.Succeeded);
            Assert.Contains("closed the connection", result.Reason);
            await hangUp;
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Password_never_appears_in_a_failure_reason()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("down", bootstrap: $"127.0.0.1:{ClosedPort()}"));

        var result = await client.TestKafkaConnectionAsync("down");

        Assert.False(result.Succeeded);
        Assert.DoesNotContain(KafkaPassword, result.Reason);
        Assert.All(polaris.Requests, r => Assert.DoesNotContain(KafkaPassword, r.ResponseBody));
    }
}
