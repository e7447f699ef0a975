using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaCatalog.Core.Kafka.Groups;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Tab completion of consumer group ids through the command's connection (-Connection,
/// -BootstrapServer, the session default or KAFKA_BOOTSTRAP_SERVERS). The ids come from
/// <see cref="GroupIdCompletion"/> (a ListGroups round per broker, never the admin fan-out that can abort
/// the process while a broker restarts) through the module's shared completion cache: 2 s at most per
/// Tab, and the ids already seen for the connection when the cluster is slower or a broker is down.
/// </summary>
public sealed class ConsumerGroupIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        TopicNameCompleter.CompleteFromCluster(fakeBoundParameters, wordToComplete, "groups", GroupIdCompletion.FetchAsync);
}
