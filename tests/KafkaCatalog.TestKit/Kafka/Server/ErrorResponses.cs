using System.Collections;
using KafkaCatalog.TestKit.Kafka.Protocol;

namespace KafkaCatalog.TestKit.Kafka.Server;

/// <summary>
/// Builds a generic error response for any API, the way Kafka's getErrorResponse does: the
/// top-level ErrorCode (if the response has one) is set, and every struct array of the response
/// mirrors the matching request array (same name, or the only struct array on both sides),
/// copying identically named key fields (Name, PartitionIndex, ...) and setting each ErrorCode.
/// Used for injected faults and handler crashes.
/// </summary>
public static class ErrorResponses
{
    public static Message Build(RequestContext ctx, Message request, short errorCode)
    {
        var resp = ctx.NewResponse();
        Fill(request, resp, errorCode, ctx.ApiVersion);
        return resp;
    }

    private static void Fill(Message? req, Message resp, short error, short version)
    {
        foreach (var f in resp.Spec.Fields)
        {
            if (!f.Versions.Contains(version))
            {
                continue;
            }

            if (f.Name == "ErrorCode" && f.Type == KafkaType.Int16 && !f.IsArray)
            {
                resp.Set(f.Name, error);
                continue;
            }
            if (f.Name == "ErrorMessage" && f.Type == KafkaType.String && error != ErrorCode.None)
            {
                resp.Set(f.Name, ErrorCode.DefaultMessage(error));
                continue;
            }
            if (req is null)
            {
                continue;
            }

            if (f.IsArray && f.Type == KafkaType.Struct)
            {
                var reqField = MatchArray(req, resp, f, version);
                if (reqField is null || req.Get(reqField.Name) is not IList items)
                {
                    continue;
                }

                var list = new List<Message>();
                foreach (var item in items.OfType<Message>())
                {
                    var child = new Message(f.Struct!);
                    Fill(item, child, error, version);
                    list.Add(child);
                }
                resp.Set(f.Name, list);
                continue;
            }
            if (!f.IsArray && f.Type != KafkaType.Struct && req.Spec.ByName.TryGetValue(f.Name, out var rf)
                && rf.Type == f.Type && !rf.IsArray && rf.Versions.Contains(version))
            {
                resp.Set(f.Name, req.Get(f.Name));
            }
            else if (f.IsArray && f.Type != KafkaType.Struct && req.Spec.ByName.TryGetValue(f.Name, out var pf)
                && pf.IsArray && pf.Type == f.Type)
            {
                resp.Set(f.Name, req.Get(f.Name));
            }
        }
    }

    private static FieldSpec? MatchArray(Message req, Message resp, FieldSpec respField, short version)
    {
        if (req.Spec.ByName.TryGetValue(respField.Name, out var same) && same.IsArray && same.Type == KafkaType.Struct && same.Versions.Contains(version))
        {
            return same;
        }

        var reqArrays = req.Spec.Fields.Where(x => x.IsArray && x.Type == KafkaType.Struct && x.Versions.Contains(version)).ToList();
        var respArrays = resp.Spec.Fields.Where(x => x.IsArray && x.Type == KafkaType.Struct && x.Versions.Contains(version)).ToList();
        return reqArrays.Count == 1 && respArrays.Count == 1 ? reqArrays[0] : null;
    }
}
