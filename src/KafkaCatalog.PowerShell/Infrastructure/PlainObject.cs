using System.Collections;
using System.Management.Automation;
using KafkaCatalog.Core.Kafka.Messages;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>Turns PowerShell objects into plain .NET values (dictionaries, lists, scalars) for JSON and Mage parsing.</summary>
internal static class PlainObject
{
    public static object? From(object? value) => Convert(value, 0);

    private static object? Convert(object? value, int depth)
    {
        if (depth > 64)
        {
            return value?.ToString();
        }

        switch (value)
        {
            case null:
                return null;
            case PSObject { BaseObject: PSCustomObject } custom:
                var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var property in custom.Properties)
                {
                    properties[property.Name] = Convert(SafeValue(property), depth + 1);
                }

                return properties;
            case PSObject wrapped:
                return Convert(wrapped.BaseObject, depth);
            case string or byte[] or KafkaMessage or IEnumerable<KafkaMessageHeader>:
                return value;
            case IDictionary dictionary:
                var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry entry in dictionary)
                {
                    copy[System.Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] = Convert(entry.Value, depth + 1);
                }

                return copy;
            case IEnumerable sequence:
                var list = new List<object?>();
                foreach (var item in sequence)
                {
                    list.Add(Convert(item, depth + 1));
                }

                return list;
            default:
                return value;
        }
    }

    private static object? SafeValue(PSPropertyInfo property)
    {
        try
        {
            return property.Value;
        }
        catch (GetValueException)
        {
            return null;
        }
    }
}
