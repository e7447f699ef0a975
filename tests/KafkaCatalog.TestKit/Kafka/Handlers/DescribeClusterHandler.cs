using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Handlers;

/// <summary>DescribeCluster (60) v0-v1 (KIP-700). Only the broker endpoint type is served.</summary>
internal sealed class DescribeClusterHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.DescribeCluster;
    public short MinVersion => 0;
    public short MaxVersion => 1;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        var state = ctx.State;
        if (ctx.ApiVersion >= 1 && request.GetInt8("EndpointType") != 1)
        {
            resp.Set("ErrorCode", (short)115); // UNSUPPORTED_ENDPOINT_TYPE
            resp.Set("ErrorMessage", "This endpoint type is not supported yet.");
            resp.Set("ClusterId", state.ClusterId);
            return ValueTask.FromResult<Message?>(resp);
        }
        if (!state.IsAuthorized(ctx.Principal, AclOperation.Describe, AclResourceType.Cluster, "kafka-cluster"))
        {
            resp.Set("ErrorCode", ErrorCode.ClusterAuthorizationFailed);
            resp.Set("ErrorMessage", ErrorCode.DefaultMessage(ErrorCode.ClusterAuthorizationFailed));
            resp.Set("ClusterId", state.ClusterId);
            return ValueTask.FromResult<Message?>(resp);
        }
        lock (state.Sync)
        {
            resp.Set("ClusterId", state.ClusterId);
            resp.Set("ControllerId", state.ControllerId);
            foreach (var b in state.Brokers.Where(b => b.IsAlive))
            {
                var e = resp.AddElement("Brokers");
                e.Set("BrokerId", b.Id);
                e.Set("Host", b.Host);
                e.Set("Port", b.Port);
                e.Set("Rack", b.Rack);
            }
            if (request.GetBool("IncludeClusterAuthorizedOperations"))
            {
                resp.Set("ClusterAuthorizedOperations", state.AuthorizedOperations(ctx.Principal, AclResourceType.Cluster, "kafka-cluster"));
            }
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}
