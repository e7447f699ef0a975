using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Kafka;

public class KafkaConnectionResolverTests
{
    private static readonly KafkaConnection Prod = new("prod", new KafkaConnectionOptions { BootstrapServers = "prod1:9092" });
    private static readonly KafkaConnection Dev = new("dev", new KafkaConnectionOptions { BootstrapServers = "dev1:9092" });

    private static KafkaConnection? Registered(string name) => name switch
    {
        "prod" => Prod,
        "dev" => Dev,
        _ => null,
    };

    [Fact]
    public void Explicit_connection_wins_over_everything() =>
        Assert.Same(Prod, KafkaConnectionResolver.Resolve(Prod, ["x:1"], "dev", Registered, Dev, "env:9092"));

    [Fact]
    public void Bootstrap_server_wins_over_piped_default_and_environment()
    {
        var c = KafkaConnectionResolver.Resolve(null, ["a:9092", "b:9093"], "dev", Registered, Dev, "e:9092");
        Assert.Equal("a:9092,b:9093", c.BootstrapServers);
        Assert.Equal("a:9092,b:9093", c.Name);
    }

    [Fact]
    public void Piped_connection_name_wins_over_session_default() =>
        Assert.Same(Prod, KafkaConnectionResolver.Resolve(null, null, "prod", Registered, Dev, null));

    [Fact]
    public void Session_default_wins_over_environment() =>
        Assert.Same(Dev, KafkaConnectionResolver.Resolve(null, null, null, Registered, Dev, "e:9092"));

    [Fact]
    public void Environment_is_the_last_resort()
    {
        var c = KafkaConnectionResolver.Resolve(null, null, null, Registered, null, " e1:9092 , e2:9092 ");
        Assert.Equal("e1:9092,e2:9092", c.BootstrapServers);
        Assert.Equal(KafkaConnectionResolver.EnvironmentConnectionName, c.Name);
    }

    [Fact]
    public void Objects_read_through_the_environment_connection_find_it_again()
    {
        var c = KafkaConnectionResolver.Resolve(null, null, KafkaConnectionResolver.EnvironmentConnectionName, Registered, Dev, "e1:9092");
        Assert.Equal("e1:9092", c.BootstrapServers);
    }

    [Fact]
    public void Objects_read_through_a_bootstrap_server_connection_find_it_again()
    {
        var c = KafkaConnectionResolver.Resolve(null, null, "h1:9092,h2:9092", Registered, Dev, null);
        Assert.Equal("h1:9092,h2:9092", c.BootstrapServers);
    }

    [Fact]
    public void Nothing_at_all_is_a_terminating_connection_error()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => KafkaConnectionResolver.Resolve(null, null, null, Registered, null, null));
        Assert.Equal("NoKafkaConnection", ex.ErrorId);
        Assert.Equal(FailureKind.ConnectionError, ex.Kind);
        Assert.Equal("No Kafka connection. Run Connect-KafkaCluster or set KAFKA_BOOTSTRAP_SERVERS.", ex.Message);
    }

    [Fact]
    public void Unknown_piped_connection_name_is_not_silently_replaced_by_the_default()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => KafkaConnectionResolver.Resolve(null, null, "staging", Registered, Dev, null));
        Assert.Equal("KafkaConnectionNotFound", ex.ErrorId);
        Assert.Contains("'staging'", ex.Message);
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:abc")]
    [InlineData(":9092")]
    [InlineData(" , ")]
    public void Bad_bootstrap_servers_are_refused(string servers)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => KafkaConnectionResolver.JoinServers([servers]));
        Assert.Equal("InvalidBootstrapServer", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Host_without_port_is_accepted_as_librdkafka_does() =>
        Assert.Equal("broker1,broker2:9093", KafkaConnectionResolver.JoinServers(["broker1", "broker2:9093"]));
}
