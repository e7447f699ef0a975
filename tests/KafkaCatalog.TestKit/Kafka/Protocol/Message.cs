using System.Collections;
using System.Globalization;
using System.Text;

namespace KafkaCatalog.TestKit.Kafka.Protocol;

/// <summary>
/// A decoded (or to-be-encoded) Kafka struct: field name -> value, in schema order.
/// Values: bool, sbyte (int8), short, ushort, int, uint, long, double, string?, byte[]? (bytes and
/// records), Guid (uuid), Message (struct), List&lt;Message&gt; (struct arrays) and
/// List&lt;object?&gt; (primitive arrays). Unset fields read as their JSON default.
/// </summary>
public sealed class Message
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public Message(StructSpec spec) => Spec = spec;

    public StructSpec Spec { get; }

    /// <summary>Fields explicitly set (or decoded), in no particular order.</summary>
    public IReadOnlyDictionary<string, object?> Values => _values;

    public bool Has(string name) => _values.ContainsKey(name);

    public object? this[string name]
    {
        get => Get(name);
        set => Set(name, value);
    }

    public object? Get(string name)
    {
        if (_values.TryGetValue(name, out var v))
        {
            return v;
        }

        var f = Spec.Field(name);
        var d = f.DefaultValue(short.MaxValue);
        if (d is IList || d is Message)
        {
            _values[name] = d; // so callers can mutate nested defaults
        }

        return d;
    }

    /// <summary>Sets a field; ints are converted to the field's width, IEnumerables to lists.</summary>
    public Message Set(string name, object? value)
    {
        var f = Spec.Field(name);
        _values[name] = Coerce(f, value);
        return this;
    }

    internal void SetRaw(string name, object? value) => _values[name] = value;

    private static object? Coerce(FieldSpec f, object? value)
    {
        if (value is null)
        {
            return null;
        }

        if (f.IsArray)
        {
            if (f.Type == KafkaType.Struct)
            {
                return value as List<Message> ?? ((IEnumerable)value).Cast<Message>().ToList();
            }

            var list = new List<object?>();
            foreach (var item in (IEnumerable)value)
            {
                list.Add(CoerceScalar(f.Type, item));
            }

            return list;
        }
        return f.Type == KafkaType.Struct ? (Message)value : CoerceScalar(f.Type, value);
    }

    private static object? CoerceScalar(KafkaType t, object? v)
    {
        if (v is null)
        {
            return null;
        }

        var ic = CultureInfo.InvariantCulture;
        return t switch
        {
            KafkaType.Bool => Convert.ToBoolean(v, ic),
            KafkaType.Int8 => Convert.ToSByte(v, ic),
            KafkaType.Int16 => Convert.ToInt16(v, ic),
            KafkaType.UInt16 => Convert.ToUInt16(v, ic),
            KafkaType.Int32 => Convert.ToInt32(v, ic),
            KafkaType.UInt32 => Convert.ToUInt32(v, ic),
            KafkaType.Int64 => Convert.ToInt64(v, ic),
            KafkaType.Float64 => Convert.ToDouble(v, ic),
            KafkaType.String => v as string ?? Convert.ToString(v, ic),
            KafkaType.Bytes or KafkaType.Records => v is string s ? Encoding.UTF8.GetBytes(s) : (byte[])v,
            KafkaType.Uuid => (Guid)v,
            _ => v,
        };
    }

    public bool GetBool(string name) => Convert.ToBoolean(Get(name), CultureInfo.InvariantCulture);
    public sbyte GetInt8(string name) => Convert.ToSByte(Get(name), CultureInfo.InvariantCulture);
    public short GetInt16(string name) => Convert.ToInt16(Get(name), CultureInfo.InvariantCulture);
    public int GetInt32(string name) => Convert.ToInt32(Get(name), CultureInfo.InvariantCulture);
    public long GetInt64(string name) => Convert.ToInt64(Get(name), CultureInfo.InvariantCulture);
    public double GetFloat64(string name) => Convert.ToDouble(Get(name), CultureInfo.InvariantCulture);
    public string? GetString(string name) => (string?)Get(name);
    public byte[]? GetBytes(string name) => (byte[]?)Get(name);
    public Guid GetUuid(string name) => (Guid)Get(name)!;
    public Message GetStruct(string name) => (Message)Get(name)!;

    /// <summary>A struct array; null when the field is a null array.</summary>
    public List<Message>? GetArray(string name) => (List<Message>?)Get(name);

    /// <summary>A primitive array; null when the field is a null array.</summary>
    public List<T>? GetList<T>(string name) =>
        Get(name) is IList l ? l.Cast<object?>().Select(x => (T)Convert.ChangeType(x, typeof(T), CultureInfo.InvariantCulture)!).ToList() : null;

    /// <summary>Creates an element for a struct array field (not yet added).</summary>
    public Message NewElement(string arrayField)
    {
        var f = Spec.Field(arrayField);
        return new Message(f.Struct ?? throw new InvalidOperationException($"{arrayField} is not a struct array."));
    }

    /// <summary>Creates an element for a struct array field, appends it and returns it.</summary>
    public Message AddElement(string arrayField)
    {
        var m = NewElement(arrayField);
        var list = GetArray(arrayField);
        if (list is null)
        {
            list = new List<Message>();
            _values[arrayField] = list;
        }
        list.Add(m);
        return m;
    }

    public override string ToString()
    {
        var sb = new StringBuilder(Spec.Name).Append('{');
        var first = true;
        foreach (var f in Spec.Fields)
        {
            if (!_values.TryGetValue(f.Name, out var v))
            {
                continue;
            }

            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            sb.Append(f.Name).Append('=').Append(Format(v));
        }
        return sb.Append('}').ToString();
    }

    private static string Format(object? v) => v switch
    {
        null => "null",
        string s => '"' + s + '"',
        byte[] b => $"bytes[{b.Length}]",
        IList l => "[" + string.Join(", ", l.Cast<object?>().Select(Format)) + "]",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };
}
