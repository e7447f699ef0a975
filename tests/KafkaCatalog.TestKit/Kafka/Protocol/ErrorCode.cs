namespace KafkaCatalog.TestKit.Kafka.Protocol;

/// <summary>Kafka error codes used by the TestKit broker (full list: Kafka/Protocol/errors.tsv).</summary>
public static class ErrorCode
{
    public const short UnknownServerError = -1;
    public const short None = 0;
    public const short OffsetOutOfRange = 1;
    public const short CorruptMessage = 2;
    public const short UnknownTopicOrPartition = 3;
    public const short LeaderNotAvailable = 5;
    public const short NotLeaderOrFollower = 6;
    public const short RequestTimedOut = 7;
    public const short BrokerNotAvailable = 8;
    public const short MessageTooLarge = 10;
    public const short CoordinatorLoadInProgress = 14;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short InvalidTopicException = 17;
    public const short NotEnoughReplicas = 19;
    public const short InvalidRequiredAcks = 21;
    public const short IllegalGeneration = 22;
    public const short UnknownMemberId = 25;
    public const short RebalanceInProgress = 27;
    public const short TopicAuthorizationFailed = 29;
    public const short GroupAuthorizationFailed = 30;
    public const short ClusterAuthorizationFailed = 31;
    public const short UnsupportedSaslMechanism = 33;
    public const short IllegalSaslState = 34;
    public const short UnsupportedVersion = 35;
    public const short TopicAlreadyExists = 36;
    public const short InvalidPartitions = 37;
    public const short InvalidReplicationFactor = 38;
    public const short InvalidReplicaAssignment = 39;
    public const short InvalidConfig = 40;
    public const short NotController = 41;
    public const short InvalidRequest = 42;
    public const short PolicyViolation = 44;
    public const short SecurityDisabled = 54;
    public const short SaslAuthenticationFailed = 58;
    public const short NonEmptyGroup = 68;
    public const short GroupIdNotFound = 69;
    public const short UnsupportedCompressionType = 76;
    public const short OffsetNotAvailable = 78;
    public const short GroupSubscribedToTopic = 86;
    public const short ResourceNotFound = 91;
    public const short DuplicateResource = 92;
    public const short UnacceptableCredential = 93;
    public const short UnknownTopicId = 100;

    private static readonly Lazy<Dictionary<short, (string Name, string Message)>> Table = new(Load);

    /// <summary>Kafka's name for a code, e.g. 36 -> TOPIC_ALREADY_EXISTS.</summary>
    public static string NameOf(short code) => Table.Value.TryGetValue(code, out var e) ? e.Name : $"UNKNOWN_{code}";

    /// <summary>Kafka's default exception message for a code.</summary>
    public static string DefaultMessage(short code) => Table.Value.TryGetValue(code, out var e) ? e.Message : string.Empty;

    private static Dictionary<short, (string, string)> Load()
    {
        var d = new Dictionary<short, (string, string)>();
        using var s = typeof(ErrorCode).Assembly.GetManifestResourceStream("KafkaCatalog.TestKit.Kafka.Protocol.errors.tsv")!;
        using var r = new StreamReader(s);
        r.ReadLine();
        while (r.ReadLine() is { } line)
        {
            var p = line.Split('\t');
            if (p.Length >= 2 && short.TryParse(p[0], out var code))
            {
                d[code] = (p[1], p.Length > 3 ? p[3] : string.Empty);
            }
        }
        return d;
    }
}
