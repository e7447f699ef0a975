using System.Collections;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;

namespace KafkaCatalog.PowerShell.Infrastructure;

/// <summary>
/// Lets a Hashtable parameter also take text "key=value;key2=value2" (an Import-Csv column).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class KafkaConfigTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null or Hashtable)
        {
            return value;
        }

        if (value is string text && string.IsNullOrWhiteSpace(text))
        {
            return new Hashtable();
        }

        try
        {
            var parsed = ConfigText.Parse(value);
            var table = new Hashtable(StringComparer.Ordinal);
            foreach (var (key, entry) in parsed)
            {
                table[key] = entry;
            }

            return table;
        }
        catch (KafkaCatalogException ex)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }
}

/// <summary>Hashtable/dictionary helpers for cmdlets.</summary>
public static class HashtableExtensions
{
    /// <summary>A hashtable's entries as text (PSObject-wrapped values unwrapped), for Core.</summary>
    public static Dictionary<string, string> ToConfigDictionary(this IDictionary? table, string what = "config")
    {
        if (table is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var unwrapped = new Hashtable(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            var key = entry.Key is PSObject k ? k.BaseObject : entry.Key;
            var value = entry.Value is PSObject v ? v.BaseObject : entry.Value;
            unwrapped[Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] = value;
        }

        return ConfigText.Parse(unwrapped, what);
    }
}
