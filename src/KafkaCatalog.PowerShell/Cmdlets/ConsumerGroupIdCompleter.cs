using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.PowerShell.Infrastructure;

namespace KafkaCatalog.PowerShell.Cmdlets;

/// <summary>
/// Tab completion of consumer group ids through the command's connection (-Connection,
/// -BootstrapServer, the session default or KAFKA_BOOTSTRAP_SERVERS). Uses the module's shared
/// completion cache: 2 s at most per fetch, ids kept per connection for a while, so completion
/// never hangs the prompt.
/// </summary>
public sealed class ConsumerGroupIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        TopicNameCompleter.CompleteFromCluster(fakeBoundParameters, wordToComplete, "groups", async (factory, token) =>
        {
            var service = new ConsumerGroupService(factory, retry: new Core.Resilience.KafkaRetry(new Core.Resilience.KafkaRetryOptions { MaxAttempts = 1 }));
            var listings = await service.ListGroupListingsAsync([], TopicNameCompleter.Timeout, token).ConfigureAwait(false);
            return listings.Select(l => l.GroupId).Order(StringComparer.Ordinal).ToArray();
        });
}
