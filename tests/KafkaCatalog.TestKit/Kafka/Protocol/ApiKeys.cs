namespace KafkaCatalog.TestKit.Kafka.Protocol;

/// <summary>Kafka API keys.</summary>
public static class ApiKeys
{
    public const short Produce = 0;
    public const short Fetch = 1;
    public const short ListOffsets = 2;
    public const short Metadata = 3;
    public const short OffsetCommit = 8;
    public const short OffsetFetch = 9;
    public const short FindCoordinator = 10;
    public const short JoinGroup = 11;
    public const short Heartbeat = 12;
    public const short LeaveGroup = 13;
    public const short SyncGroup = 14;
    public const short DescribeGroups = 15;
    public const short ListGroups = 16;
    public const short SaslHandshake = 17;
    public const short ApiVersions = 18;
    public const short CreateTopics = 19;
    public const short DeleteTopics = 20;
    public const short DeleteRecords = 21;
    public const short InitProducerId = 22;
    public const short DescribeAcls = 29;
    public const short CreateAcls = 30;
    public const short DeleteAcls = 31;
    public const short DescribeConfigs = 32;
    public const short AlterConfigs = 33;
    public const short SaslAuthenticate = 36;
    public const short CreatePartitions = 37;
    public const short DeleteGroups = 42;
    public const short IncrementalAlterConfigs = 44;
    public const short OffsetDelete = 47;
    public const short DescribeUserScramCredentials = 50;
    public const short AlterUserScramCredentials = 51;
    public const short DescribeCluster = 60;
}
