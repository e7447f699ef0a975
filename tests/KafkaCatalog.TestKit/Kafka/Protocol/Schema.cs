using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace KafkaCatalog.TestKit.Kafka.Protocol;

/// <summary>A version range as written in Kafka's JSON definitions: "0+", "1-3", "3", "none".</summary>
public readonly record struct VersionRange(short Min, short Max)
{
    public static readonly VersionRange None = new(1, 0);

    public bool IsNone => Min > Max;

    public bool Contains(short version) => version >= Min && version <= Max;

    public static VersionRange Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none")
        {
            return None;
        }

        text = text.Trim();
        if (text.EndsWith('+'))
        {
            return new(short.Parse(text[..^1], CultureInfo.InvariantCulture), short.MaxValue);
        }

        var dash = text.IndexOf('-');
        if (dash > 0)
        {
            return new(short.Parse(text[..dash], CultureInfo.InvariantCulture), short.Parse(text[(dash + 1)..], CultureInfo.InvariantCulture));
        }

        var v = short.Parse(text, CultureInfo.InvariantCulture);
        return new(v, v);
    }

    public override string ToString() => IsNone ? "none" : Max == short.MaxValue ? $"{Min}+" : $"{Min}-{Max}";
}

/// <summary>Primitive kinds of the Kafka schema language.</summary>
public enum KafkaType
{
    Bool, Int8, Int16, UInt16, Int32, UInt32, Int64, Float64, String, Bytes, Records, Uuid, Struct,
}

/// <summary>A struct (a message body, a nested array element or a common struct).</summary>
public sealed class StructSpec
{
    public StructSpec(string name, IReadOnlyList<FieldSpec> fields)
    {
        Name = name;
        Fields = fields;
        ByName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public string Name { get; }
    public IReadOnlyList<FieldSpec> Fields { get; }
    public IReadOnlyDictionary<string, FieldSpec> ByName { get; }

    public FieldSpec Field(string name) =>
        ByName.TryGetValue(name, out var f) ? f : throw new KeyNotFoundException($"{Name} has no field '{name}'.");
}

/// <summary>One field of a struct.</summary>
public sealed class FieldSpec
{
    public required string Name { get; init; }
    public required string TypeName { get; init; }
    public required KafkaType Type { get; init; }
    public required bool IsArray { get; init; }
    public StructSpec? Struct { get; set; }
    public required VersionRange Versions { get; init; }
    public required VersionRange NullableVersions { get; init; }
    public required VersionRange TaggedVersions { get; init; }
    public int? Tag { get; init; }
    public string? Default { get; init; }

    /// <summary>The value a field takes when a response builder does not set it.</summary>
    public object? DefaultValue(short version)
    {
        if (IsArray)
        {
            return Default == "null" && NullableVersions.Contains(version) ? null : NewList();
        }

        if (Type == KafkaType.Struct)
        {
            return new Message(Struct!);
        }

        var d = Default;
        if (d == "null")
        {
            return null;
        }

        switch (Type)
        {
            case KafkaType.Bool:
                return d is not null && bool.Parse(d);
            case KafkaType.String:
                return d ?? string.Empty;
            case KafkaType.Bytes:
                return Array.Empty<byte>();
            case KafkaType.Records:
                return null;
            case KafkaType.Uuid:
                return Guid.Empty;
            case KafkaType.Float64:
                return d is null ? 0d : double.Parse(d, CultureInfo.InvariantCulture);
        }
        long n = 0;
        if (!string.IsNullOrEmpty(d))
        {
            n = d.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? long.Parse(d[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : long.Parse(d, CultureInfo.InvariantCulture);
        }

        return Type switch
        {
            KafkaType.Int8 => (object)(sbyte)n,
            KafkaType.Int16 => (short)n,
            KafkaType.UInt16 => (ushort)n,
            KafkaType.Int32 => (int)n,
            KafkaType.UInt32 => (uint)n,
            _ => n,
        };
    }

    public System.Collections.IList NewList() => Type == KafkaType.Struct ? new List<Message>() : new List<object?>();

    public override string ToString() => $"{Name}:{TypeName} v{Versions}";
}

/// <summary>A top-level definition file (request, response, header or data).</summary>
public sealed class MessageSpec
{
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public short? ApiKey { get; init; }
    public required VersionRange ValidVersions { get; init; }
    public required VersionRange FlexibleVersions { get; init; }
    public required StructSpec Body { get; init; }

    public bool IsFlexible(short version) => FlexibleVersions.Contains(version);

    public Message NewMessage() => new(Body);
}

/// <summary>
/// All of Kafka's JSON protocol definitions, loaded from embedded resources
/// (Kafka/Protocol/Messages/*.json, comments stripped).
/// </summary>
public static class KafkaSchema
{
    private static readonly Lazy<Dictionary<string, MessageSpec>> All = new(LoadAll);
    private static readonly ConcurrentDictionary<(short, bool), MessageSpec?> ByKey = new();

    public static IReadOnlyCollection<MessageSpec> Messages => All.Value.Values;

    public static MessageSpec Get(string name) =>
        All.Value.TryGetValue(name, out var spec) ? spec : throw new KeyNotFoundException($"No Kafka message definition '{name}'.");

    public static MessageSpec? Request(short apiKey) => Find(apiKey, true);

    public static MessageSpec? Response(short apiKey) => Find(apiKey, false);

    private static MessageSpec? Find(short apiKey, bool request) =>
        ByKey.GetOrAdd((apiKey, request), k => All.Value.Values.FirstOrDefault(m =>
            m.ApiKey == k.Item1 && m.Kind == (k.Item2 ? "request" : "response")));

    private static Dictionary<string, MessageSpec> LoadAll()
    {
        var asm = typeof(KafkaSchema).Assembly;
        var result = new Dictionary<string, MessageSpec>(StringComparer.Ordinal);
        foreach (var res in asm.GetManifestResourceNames())
        {
            if (!res.Contains(".Kafka.Protocol.Messages.", StringComparison.Ordinal) || !res.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = asm.GetManifestResourceStream(res)!;
            var spec = Parse(stream);
            result[spec.Name] = spec;
        }
        return result;
    }

    public static MessageSpec Parse(Stream json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = doc.RootElement;
        var common = new Dictionary<string, StructSpec>(StringComparer.Ordinal);
        var pending = new List<FieldSpec>();
        if (root.TryGetProperty("commonStructs", out var cs))
        {
            foreach (var s in cs.EnumerateArray())
            {
                var name = s.GetProperty("name").GetString()!;
                common[name] = new StructSpec(name, ParseFields(s.GetProperty("fields"), pending));
            }
        }

        var fields = root.TryGetProperty("fields", out var f) ? ParseFields(f, pending) : new List<FieldSpec>();
        foreach (var p in pending)
        {
            var elem = p.IsArray ? p.TypeName[2..] : p.TypeName;
            p.Struct = common.TryGetValue(elem, out var st) ? st : throw new InvalidDataException($"Unknown struct type {elem}.");
        }
        return new MessageSpec
        {
            Name = root.GetProperty("name").GetString()!,
            Kind = root.GetProperty("type").GetString()!,
            ApiKey = root.TryGetProperty("apiKey", out var k) ? (short)Num(k) : null,
            ValidVersions = VersionRange.Parse(root.TryGetProperty("validVersions", out var vv) ? vv.GetString() : "0+"),
            FlexibleVersions = VersionRange.Parse(root.TryGetProperty("flexibleVersions", out var fv) ? fv.GetString() : "none"),
            Body = new StructSpec(root.GetProperty("name").GetString()!, fields),
        };
    }

    private static int Num(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? int.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetInt32();

    private static List<FieldSpec> ParseFields(JsonElement array, List<FieldSpec> pending)
    {
        var list = new List<FieldSpec>();
        foreach (var e in array.EnumerateArray())
        {
            var typeName = e.GetProperty("type").GetString()!;
            var isArray = typeName.StartsWith("[]", StringComparison.Ordinal);
            var elem = isArray ? typeName[2..] : typeName;
            var kind = elem switch
            {
                "bool" => KafkaType.Bool,
                "int8" => KafkaType.Int8,
                "int16" => KafkaType.Int16,
                "uint16" => KafkaType.UInt16,
                "int32" => KafkaType.Int32,
                "uint32" => KafkaType.UInt32,
                "int64" => KafkaType.Int64,
                "float64" => KafkaType.Float64,
                "string" => KafkaType.String,
                "bytes" => KafkaType.Bytes,
                "records" => KafkaType.Records,
                "uuid" => KafkaType.Uuid,
                _ => KafkaType.Struct,
            };
            string? Str(string name) => e.TryGetProperty(name, out var p) ? p.ValueKind == JsonValueKind.String ? p.GetString() : p.GetRawText() : null;
            var field = new FieldSpec
            {
                Name = e.GetProperty("name").GetString()!,
                TypeName = typeName,
                Type = kind,
                IsArray = isArray,
                Versions = VersionRange.Parse(Str("versions")),
                NullableVersions = VersionRange.Parse(Str("nullableVersions")),
                TaggedVersions = VersionRange.Parse(Str("taggedVersions")),
                Tag = e.TryGetProperty("tag", out var t) ? Num(t) : null,
                Default = Str("default"),
            };
            if (kind == KafkaType.Struct)
            {
                if (e.TryGetProperty("fields", out var sub))
                {
                    field.Struct = new StructSpec(elem, ParseFields(sub, pending));
                }
                else
                {
                    pending.Add(field);
                }
            }
            list.Add(field);
        }
        return list;
    }
}
