using System.Management.Automation;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>Shows broker configs: value, source, default, sensitive, read-only, synonyms.</summary>
[Cmdlet(VerbsCommon.Get, "KafkaBrokerConfig")]
[OutputType(typeof(KafkaConfigEntry))]
public sealed class GetKafkaBrokerConfigCommand : KafkaCmdlet
{
    /// <summary>Broker ids; every broker when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateRange(0, int.MaxValue)]
    public int[]? BrokerId { get; set; }

    /// <summary>Config names to show; wildcards allowed.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ConfigName { get; set; }

    /// <summary>Only configs set away from their default.</summary>
    [Parameter]
    public SwitchParameter ExcludeDefault { get; set; }

    protected override void ProcessRecord()
    {
        var filter = (ConfigName ?? Array.Empty<string>()).Select(NamePattern.Parse).ToArray();
        RunWithClient(async (factory, sink, token) =>
        {
            var brokers = await new ClusterService(factory, sink).GetBrokersAsync(BrokerId, EmitItemError, token).ConfigureAwait(false);
            var described = new ConfigService(factory, sink).DescribeBrokersAsync(brokers.Select(b => b.BrokerId).ToArray(), EmitItemError, token);
            await foreach (var entry in ConfigService.Filter(described, filter, ExcludeDefault.IsPresent).ConfigureAwait(false))
            {
                Emit(entry);
            }
        });
    }
}
