using System.Collections;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.Core.Tests.Kafka;

public class KafkaConnectionSelectorTests
{
    private static readonly KafkaConnection Prod = new("prod", new KafkaConnectionOptions { BootstrapServers = "prod1:9092" });
    private static readonly KafkaConnection Dev = new("dev", new KafkaConnectionOptions { BootstrapServers = "dev1:9092" });

    private static Hashtable Env(string servers, params (string Key, string Value)[] more)
    {
        var env = new Hashtable { ["KAFKA_BOOTSTRAP_SERVERS"] = servers };
        foreach (var (key, value) in more)
        {
            env[key] = value;
        }

        return env;
    }

    private static KafkaConnection? Registered(string name) => name switch
    {
        "prod" => Prod,
        "dev" => Dev,
        _ => null,
    };

    [Fact]
    public void Explicit_connection_wins_over_everything() =>
        Assert.Same(Prod, KafkaConnectionSelector.Resolve(Prod, ["x:1"], "dev", Registered, Dev, Env("env:9092")));

    [Fact]
    public void Bootstrap_server_wins_over_piped_default_and_environment()
    {
        var c = KafkaConnectionSelector.Resolve(null, ["a:9092", "b:9093"], "dev", Registered, Dev, Env("e:9092"));
        Assert.Equal("a:9092,b:9093", c.BootstrapServers);
        Assert.Equal("a:9092,b:9093", c.Name);
    }

    [Fact]
    public void Piped_connection_name_wins_over_session_default() =>
        Assert.Same(Prod, KafkaConnectionSelector.Resolve(null, null, "prod", Registered, Dev, null));

    [Fact]
    public void Session_default_wins_over_environment() =>
        Assert.Same(Dev, KafkaConnectionSelector.Resolve(null, null, null, Registered, Dev, Env("e:9092")));

    [Fact]
    public void Environment_is_the_last_resort()
    {
        var c = KafkaConnectionSelector.Resolve(null, null, null, Registered, null, Env(" e1:9092 , e2:9092 "));
        Assert.Equal("e1:9092,e2:9092", c.BootstrapServers);
        Assert.Equal(KafkaConnectionSelector.EnvironmentConnectionName, c.Name);
    }

    [Fact]
    public void Objects_read_through_the_environment_connection_find_it_again()
    {
        var c = KafkaConnectionSelector.Resolve(null, null, KafkaConnectionSelector.EnvironmentConnectionName, Registered, Dev, Env("e1:9092"));
        Assert.Equal("e1:9092", c.BootstrapServers);
    }

    [Fact]
    public void Objects_read_through_a_bootstrap_server_connection_find_it_again()
    {
        var c = KafkaConnectionSelector.Resolve(null, null, "h1:9092,h2:9092", Registered, Dev, null);
        Assert.Equal("h1:9092,h2:9092", c.BootstrapServers);
    }

    [Fact]
    public void Nothing_at_all_is_a_terminating_connection_error()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => KafkaConnectionSelector.Resolve(null, null, null, Registered, null, null));
        Assert.Equal("NoKafkaConnection", ex.ErrorId);
        Assert.Equal(FailureKind.ConnectionError, ex.Kind);
        Assert.Equal("No Kafka connection. Run Connect-KafkaCluster or set KAFKA_BOOTSTRAP_SERVERS.", ex.Message);
    }

    [Fact]
    public void Unknown_piped_connection_name_is_not_silently_replaced_by_the_default()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => KafkaConnectionSelector.Resolve(null, null, "staging", Registered, Dev, null));
        Assert.Equal("KafkaConnectionNotFound", ex.ErrorId);
        Assert.Contains("'staging'", ex.Message);
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:abc")]
    [InlineData(":9092")]
    [InlineData("http://broker:9092")]
    public void Bad_bootstrap_servers_are_refused_with_the_validators_id(string servers)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => KafkaConnectionSelector.JoinServers([servers]));
        Assert.Equal("BootstrapServerInvalid", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Null(KafkaConnectionValidator.CheckBootstrapEntry("broker:9092"));
        Assert.NotNull(KafkaConnectionValidator.CheckBootstrapEntry(servers));
    }

    [Fact]
    public void No_bootstrap_server_is_BootstrapServersMissing()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => KafkaConnectionSelector.JoinServers([" , "]));
        Assert.Equal("BootstrapServersMissing", ex.ErrorId);
    }

    [Fact]
    public void Host_without_port_is_accepted_as_librdkafka_does() =>
        Assert.Equal("broker1,broker2:9093", KafkaConnectionSelector.JoinServers(["broker1", "broker2:9093"]));

    [Fact]
    public void Environment_security_applies_to_the_environment_connection()
    {
        var c = KafkaConnectionSelector.Resolve(null, null, null, Registered, null,
            Env("e1:9092", ("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), ("KAFKA_SASL_USERNAME", "svc"), ("KAFKA_SASL_PASSWORD", "pw-from-env")));

        Assert.Equal(KafkaSecurityProtocol.SaslSsl, c.SecurityProtocol);
        Assert.Equal(KafkaSaslMechanism.Plain, c.SaslMechanism);
        Assert.Equal("svc", c.UserName);
        Assert.DoesNotContain("pw-from-env", c.ToString());
    }

    [Fact]
    public void Environment_security_applies_to_a_bootstrap_server_connection()
    {
        var env = new Hashtable { ["KAFKA_SECURITY_PROTOCOL"] = "SASL_PLAINTEXT", ["KAFKA_SASL_MECHANISM"] = "SCRAM-SHA-512", ["KAFKA_SASL_USERNAME"] = "svc", ["KAFKA_SASL_PASSWORD"] = "x" };
        var c = KafkaConnectionSelector.Resolve(null, ["b1:9092"], null, Registered, null, env);

        Assert.Equal("b1:9092", c.BootstrapServers);
        Assert.Equal(KafkaSaslMechanism.ScramSha512, c.SaslMechanism);
    }

    [Fact]
    public void An_invalid_environment_variable_is_a_specific_error()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => KafkaConnectionSelector.Resolve(null, null, null, Registered, null,
            Env("e1:9092", ("KAFKA_SECURITY_PROTOCOL", "CARRIER_PIGEON"))));
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Contains("KAFKA_SECURITY_PROTOCOL", ex.Message);
    }
}
