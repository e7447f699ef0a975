using System.Management.Automation;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka.Health;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// One health verdict per check (brokers, controller, offline / under-replicated / under min ISR
/// partitions, preferred leaders, idle lagging groups, committed offsets lost to retention), or with
/// -Quiet one bool: true only when no check fails.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KafkaCluster")]
[OutputType(typeof(KafkaHealthCheck))]
[OutputType(typeof(bool))]
public sealed class TestKafkaClusterCommand : KafkaCmdlet
{
    /// <summary>Only these checks (BrokersReachable, ControllerPresent, ...); all when left out.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(HealthCheckNameCompleter))]
    public string[]? Check { get; set; }

    /// <summary>Leave internal topics (__consumer_offsets, __transaction_state) out of the partition checks.</summary>
    [Parameter]
    public SwitchParameter ExcludeInternalTopic { get; set; }

    /// <summary>Returns $true when no check fails, $false otherwise (also when the cluster does not answer).</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    private ClusterHealthOptions? _options;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            _options = new ClusterHealthOptions
            {
                Checks = ClusterHealthEvaluator.ResolveChecks(Check ?? Array.Empty<string>()),
                ExcludeInternalTopics = ExcludeInternalTopic.IsPresent,
            };
        }
        catch (KafkaCatalogException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex));
        }
    }

    protected override void ProcessRecord()
    {
        var options = _options!;
        if (!Quiet.IsPresent)
        {
            RunWithClient(async (factory, sink, token) =>
            {
                await foreach (var check in new ClusterHealthService(factory, sink).TestAsync(options, token).ConfigureAwait(false))
                {
                    Emit(check);
                }
            });
            return;
        }

        // -Quiet answers False for a cluster that does not answer, so it does its own bounded proof
        // instead of the terminating KafkaClusterUnreachable of RunWithClient.
        RunWithClient(
            async (factory, sink, token) => Emit(await new ClusterHealthService(factory, sink).TestQuietAsync(options, token).ConfigureAwait(false)),
            proveReachable: false);
    }
}

/// <summary>Completes Test-KafkaCluster -Check with the check names.</summary>
public sealed class HealthCheckNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters) =>
        KafkaHealthChecks.All
            .Where(c => c.StartsWith(wordToComplete ?? string.Empty, StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(c, c, CompletionResultType.ParameterValue, c));
}
