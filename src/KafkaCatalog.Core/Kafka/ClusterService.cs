using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaCatalog.Core.Errors;
using KafkaCatalog.Core.Resilience;

namespace KafkaCatalog.Core.Kafka;

/// <summary>The cluster as a whole: id, controller and brokers.</summary>
public sealed class ClusterService
{
    private readonly KafkaCalls _calls;

    public ClusterService(KafkaClientFactory factory, IOperationSink? sink = null, KafkaRetry? retry = null)
    {
        _calls = new KafkaCalls(factory, sink, retry);
    }

    /// <summary>
    /// Describes the cluster with one brokers-only metadata request (DescribeCluster) and records
    /// the cluster id on the connection. Used by Connect-KafkaCluster to prove the cluster answers.
    /// </summary>
    public async Task<KafkaCluster> DescribeAsync(CancellationToken cancellationToken = default)
    {
        _calls.Sink.Verbose($"DescribeCluster request to {_calls.Factory.BootstrapServers}.");
        // Connect-KafkaCluster's check: the same message as every other command's (servers and timeout), with librdkafka's reason.
        var result = await _calls.RunAsync(
            new KafkaCall("DescribeCluster", KafkaCallKind.Read, "describe the cluster", _calls.Factory.BootstrapServers) { Report = KafkaCallReport.ExplainedWithReason },
            _ => _calls.Factory.AdminClient.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = _calls.Factory.RequestTimeout }),
            cancellationToken).ConfigureAwait(false);

        _calls.Factory.Connection.ClusterId = result.ClusterId;
        var controllerId = result.Controller?.Id ?? -1;
        var brokers = result.Nodes
            .OrderBy(n => n.Id)
            .Select(n => new KafkaBroker
            {
                BrokerId = n.Id,
                Host = n.Host,
                Port = n.Port,
                Rack = string.IsNullOrEmpty(n.Rack) ? null : n.Rack,
                IsController = n.Id == controllerId,
                ConnectionName = _calls.Factory.Connection.Name,
            })
            .ToArray();
        return new KafkaCluster
        {
            ClusterId = result.ClusterId,
            ControllerId = controllerId,
            Brokers = brokers,
            ConnectionName = _calls.Factory.Connection.Name,
            BootstrapServers = _calls.Factory.BootstrapServers,
        };
    }

    /// <summary>
    /// The brokers asked for (all when <paramref name="brokerIds"/> is empty), in id order; an id
    /// that is not in the cluster is reported through <paramref name="onItemError"/> as BrokerNotFound.
    /// </summary>
    public async Task<IReadOnlyList<KafkaBroker>> GetBrokersAsync(
        IReadOnlyList<int>? brokerIds, Action<KafkaCatalogException>? onItemError = null, CancellationToken cancellationToken = default)
    {
        var cluster = await DescribeAsync(cancellationToken).ConfigureAwait(false);
        if (brokerIds is null || brokerIds.Count == 0)
        {
            return cluster.Brokers;
        }

        var known = cluster.Brokers.ToDictionary(b => b.BrokerId);
        var result = new List<KafkaBroker>();
        foreach (var id in brokerIds.Distinct())
        {
            if (known.TryGetValue(id, out var broker))
            {
                result.Add(broker);
            }
            else
            {
                onItemError?.Invoke(new KafkaCatalogException(ErrorCatalog.BrokerNotFound,
                    $"Broker {id} is not in the cluster (brokers: {string.Join(", ", known.Keys.Order())}). Use Get-KafkaBroker to list them.", id));
            }
        }

        return result.OrderBy(b => b.BrokerId).ToArray();
    }
}
