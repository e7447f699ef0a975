using System.Collections;
using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.TopicState;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// The input of Compare-KafkaTopic and Sync-KafkaTopic: a desired-state file (-Path) or pipeline
/// objects (-InputObject: Import-Csv rows, Get-KafkaTopic output, hashtables), collected until the
/// end of the pipeline, then read and checked by Core before any request.
/// </summary>
public abstract class TopicStateCmdlet : KafkaCmdlet
{
    private readonly List<IReadOnlyDictionary<string, object?>> _objects = [];

    /// <summary>A YAML (.yaml, .yml) or JSON (.json) desired-state file.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Desired topics from the pipeline (Import-Csv rows, Get-KafkaTopic output, hashtables).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Only these topics (wildcards): desired topics and, with -Scope, Missing ones.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TopicNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>
    /// Wildcards of the cluster topics the desired state speaks for besides the ones it names: a topic that
    /// matches, is not internal and is not desired is Missing. Without -Scope nothing is Missing.
    /// </summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Scope { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "InputObject" && InputObject is not null)
        {
            _objects.Add(ToProperties(InputObject));
        }
    }

    /// <summary>The desired state, -Name and -Scope; a terminating error (nothing sent) when the input is bad.</summary>
    protected TopicStateRequest? ReadRequest()
    {
        try
        {
            var topics = ParameterSetName == "Path"
                ? DesiredTopicStateReader.ReadFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path))
                : DesiredTopicStateReader.ReadObjects(_objects);
            var request = new TopicStateRequest
            {
                Topics = topics,
                Names = Name ?? Array.Empty<string>(),
                Scope = Scope ?? Array.Empty<string>(),
            };
            TopicStatePlanner.ParsePatterns(request);
            return request;
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
            return null;
        }
    }

    /// <summary>A pipeline object's properties (a dictionary's entries), PowerShell wrappers removed.</summary>
    private static Dictionary<string, object?> ToProperties(PSObject item)
    {
        var properties = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        if (item.BaseObject is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
            {
                var key = Convert.ToString(Unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture);
                if (!string.IsNullOrEmpty(key))
                {
                    properties[key] = UnwrapValue(entry.Value);
                }
            }

            return properties;
        }

        foreach (var property in item.Properties)
        {
            if (!property.IsGettable)
            {
                continue;
            }

            object? value;
            try
            {
                value = property.Value;
            }
            catch (GetValueException)
            {
                continue;
            }

            properties[property.Name] = UnwrapValue(value);
        }

        return properties;
    }

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    private static object? UnwrapValue(object? value)
    {
        value = Unwrap(value);
        if (value is IDictionary dictionary)
        {
            var table = new Hashtable(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in dictionary)
            {
                table[Convert.ToString(Unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] = Unwrap(entry.Value);
            }

            return table;
        }

        return value;
    }
}
