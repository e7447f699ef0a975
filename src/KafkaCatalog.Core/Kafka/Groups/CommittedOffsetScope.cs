namespace KafkaCatalog.Core.Kafka.Groups;

/// <summary>
/// The lifetime of one Get-KafkaConsumerGroup invocation, as far as the committed offsets it reads are concerned.
/// Groups read under an open scope carry those offsets to the next command of the pipeline
/// (<c>Get-KafkaConsumerGroup | Get-KafkaConsumerGroupOffset</c> then reads each group's offsets once); once the
/// invocation has ended, <see cref="Close"/>, the same objects (kept in a variable, or collected by Sort-Object)
/// have their offsets read again, so a lag is never computed from offsets of an earlier command.
/// </summary>
public sealed class CommittedOffsetScope
{
    private volatile bool _open = true;

    /// <summary>True until <see cref="Close"/>.</summary>
    public bool IsOpen => _open;

    /// <summary>Ends the scope: offsets read under it are read again by whoever gets the groups from now on.</summary>
    public void Close() => _open = false;
}

/// <summary>Committed offsets of one group as read under a <see cref="CommittedOffsetScope"/>.</summary>
internal sealed record CommittedOffsetsRead(CommittedOffsets Committed, CommittedOffsetScope Scope);
