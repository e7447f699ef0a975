using System.Collections;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Connections;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Opens a named connection to a Kafka cluster, checks that the cluster answers, makes it the
/// session default and returns it.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "KafkaCluster")]
[OutputType(typeof(KafkaConnection))]
public sealed class ConnectKafkaClusterCommand : AsyncCmdlet
{
    /// <summary>host:port of one or more brokers; KAFKA_BOOTSTRAP_SERVERS when omitted.</summary>
    [Parameter(Position = 0)]
    [Alias("BootstrapServers")]
    [ValidateNotNullOrEmpty]
    public string[]? BootstrapServer { get; set; }

    /// <summary>The connection's name in this session; the bootstrap servers when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ClientId { get; set; } = "kafkacatalog";

    /// <summary>Timeout of each request to the cluster, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>Any further librdkafka property, applied last.</summary>
    [Parameter]
    [KafkaConfigTransformation]
    public Hashtable? Property { get; set; }

    /// <summary>Do not contact the cluster now (the first command will).</summary>
    [Parameter]
    public SwitchParameter SkipVerify { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            NativeLibraryLoader.EnsureLoaded();
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
        }
    }

    protected override void ProcessRecord()
    {
        KafkaConnection connection;
        try
        {
            var servers = BootstrapServer is { Length: > 0 }
                ? KafkaConnectionResolver.JoinServers(BootstrapServer)
                : Environment.GetEnvironmentVariable(KafkaConnectionResolver.BootstrapEnvironmentVariable) is { Length: > 0 } fromEnvironment
                    ? KafkaConnectionResolver.JoinServers([fromEnvironment])
                    : throw new KafkaCatalogException("NoBootstrapServer", FailureKind.InvalidArgument,
                        "No bootstrap server given. Use -BootstrapServer host:port or set KAFKA_BOOTSTRAP_SERVERS.");
            var options = new KafkaConnectionOptions
            {
                BootstrapServers = servers,
                ClientId = ClientId,
                RequestTimeout = TimeSpan.FromSeconds(TimeoutSec),
                Properties = Property.ToConfigDictionary("-Property"),
            };
            connection = new KafkaConnection(Name ?? servers, options);
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return;
        }

        var sink = CreateSink();
        RunAsync(async token =>
        {
            if (!SkipVerify.IsPresent)
            {
                // The verifying client becomes the connection's shared admin client.
                var factory = ModuleState.KafkaClients.GetOrCreate(connection);
                try
                {
                    using var lease = factory.AttachSink(sink);
                    var cluster = await new ClusterService(factory, sink).DescribeAsync(token).ConfigureAwait(false);
                    sink.Verbose($"Connected to cluster {cluster.ClusterId} ({cluster.Brokers.Count} brokers, controller {cluster.ControllerId}) as '{connection.Name}'.");
                }
                catch
                {
                    ModuleState.KafkaClients.Release(connection);
                    throw;
                }
            }

            var previous = ModuleState.Kafka.Get(connection.Name);
            ModuleState.Kafka.Add(connection.Name, connection, makeDefault: true);
            if (previous is not null)
            {
                ModuleState.KafkaClients.Release(previous);
            }

            foreach (var other in ModuleState.Kafka.All)
            {
                other.IsDefault = ModuleState.Kafka.IsDefault(other.Name);
            }

            Emit(connection);
        });
    }
}
