using KafkaCatalog.TestKit.Kafka.Protocol;
using KafkaCatalog.TestKit.Kafka.Server;

namespace KafkaCatalog.TestKit.Kafka.Handlers;

/// <summary>ApiVersions (18) v0-v3: advertises exactly the registered handlers' ranges.</summary>
internal sealed class ApiVersionsHandler : IKafkaApiHandler
{
    public short ApiKey => ApiKeys.ApiVersions;
    public short MinVersion => 0;
    public short MaxVersion => 3;

    public ValueTask<Message?> HandleAsync(RequestContext ctx, Message request, CancellationToken ct)
    {
        var resp = ctx.NewResponse();
        foreach (var h in HandlerRegistry.Handlers.Values)
        {
            if (ctx.Cluster.AdvertisedRange(h) is not { } range)
            {
                continue;
            }

            var k = resp.AddElement("ApiKeys");
            k.Set("ApiKey", h.ApiKey);
            k.Set("MinVersion", range.Min);
            k.Set("MaxVersion", range.Max);
        }
        return ValueTask.FromResult<Message?>(resp);
    }
}
