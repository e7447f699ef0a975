using System.Net;
using System.Security;
using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Catalog;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Resilience;
using KafkaCatalog.TestKit.Atlan;

namespace KafkaCatalog.IntegrationTests.Catalog;

/// <summary>An Atlan emulator, a session against it over HTTP, and (optionally) a ready Kafka connection.</summary>
internal sealed class CatalogTestBed : IAsyncDisposable
{
    private CatalogTestBed(AtlanEmulator atlan, CatalogConnection catalog)
    {
        Atlan = atlan;
        Catalog = catalog;
    }

    public AtlanEmulator Atlan { get; }

    public CatalogConnection Catalog { get; }

    public RecordingSink Sink { get; } = new();

    public string ConnectionQualifiedName => Catalog.DefaultConnectionQualifiedName!;

    public static async Task<CatalogTestBed> StartAsync(AtlanEmulatorOptions? options = null, bool withKafkaConnection = true, CatalogResilienceOptions? resilience = null)
    {
        var atlan = await AtlanEmulator.StartAsync(options);
        var catalog = await CatalogConnection.ConnectAsync(new CatalogConnectionOptions
        {
            BaseUri = atlan.BaseUri.ToString(),
            ApiToken = Secure(atlan.ApiToken),
            Resilience = resilience ?? CatalogResilienceOptions.Fast,
        });
        var bed = new CatalogTestBed(atlan, catalog);
        if (withKafkaConnection)
        {
            await CatalogKafkaConnections.EnsureAsync(catalog, new CatalogKafkaConnectionRequest { Name = "kafka-test", AdminRoles = new[] { "$admin" } }, bed.Sink);
        }

        return bed;
    }

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (var c in text)
        {
            s.AppendChar(c);
        }

        s.MakeReadOnly();
        return s;
    }

    /// <summary>A second session on the same emulator with other resilience settings (the bed's own setup stays on the fast defaults).</summary>
    public Task<CatalogConnection> ConnectAsync(CatalogResilienceOptions resilience) =>
        CatalogConnection.ConnectAsync(new CatalogConnectionOptions
        {
            BaseUri = Atlan.BaseUri.ToString(),
            ApiToken = Secure(Atlan.ApiToken),
            Resilience = resilience,
            DefaultConnectionQualifiedName = Catalog.DefaultConnectionQualifiedName,
            Verify = false,
        });

    public async Task<List<CatalogAssetResult>> PublishAsync(IEnumerable<object> items, CatalogPublishOptions? options = null, CatalogAssetDecoration? decoration = null)
    {
        var set = CatalogAssetBuilder.Build(ConnectionQualifiedName, items, decoration);
        var results = new List<CatalogAssetResult>();
        await foreach (var r in CatalogPublisher.PublishAsync(Catalog, set, options, Sink))
        {
            results.Add(r);
        }

        return results;
    }

    /// <summary>A sync; without options it is one over a whole-cluster read (missing assets are archived).</summary>
    public async Task<List<CatalogAssetResult>> SyncAsync(IKafkaInventory inventory, CatalogSyncOptions? options = null)
    {
        options ??= new CatalogSyncOptions { Archive = CatalogSyncArchive.All };
        var plan = await CatalogSynchronizer.PlanAsync(Catalog, ConnectionQualifiedName, inventory, options, Sink);
        var results = new List<CatalogAssetResult>();
        await foreach (var r in CatalogSynchronizer.ApplyAsync(Catalog, plan, options, Sink))
        {
            results.Add(r);
        }

        return results;
    }

    public async ValueTask DisposeAsync()
    {
        Catalog.Dispose();
        await Atlan.DisposeAsync();
        // The token must never have reached anything a user could see.
        Assert.DoesNotContain(Atlan.ApiToken, Sink.Everything());
    }
}

/// <summary>Captures what Core reports (verbose, warnings, progress) so tests can inspect it.</summary>
internal sealed class RecordingSink : IOperationSink
{
    private readonly List<string> _lines = new();

    public List<OperationProgress> ProgressRecords { get; } = new();

    public void Verbose(string message)
    {
        lock (_lines)
        {
            _lines.Add("VERBOSE: " + message);
        }
    }

    public void Warning(string message)
    {
        lock (_lines)
        {
            _lines.Add("WARNING: " + message);
        }
    }

    public void Progress(OperationProgress progress)
    {
        lock (_lines)
        {
            ProgressRecords.Add(progress);
            _lines.Add("PROGRESS: " + progress);
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public string Everything() => string.Join("\n", Lines);
}

internal static class Kafka
{
    public static KafkaTopic Topic(string name, int partitions = 3, int replicas = 1, IReadOnlyDictionary<string, string?>? config = null, long? messages = null, bool isInternal = false) => new()
    {
        Name = name,
        IsInternal = isInternal,
        Partitions = Enumerable.Range(0, partitions).Select(p => new KafkaPartition
        {
            Topic = name,
            Partition = p,
            Leader = 1,
            Replicas = Enumerable.Range(1, replicas).ToList(),
            InSyncReplicas = Enumerable.Range(1, replicas).ToList(),
        }).ToList(),
        Config = config,
        MessageCount = messages,
    };

    public static KafkaConsumerGroup Group(string id, params string[] topics) => new()
    {
        GroupId = id,
        State = "Stable",
        Topics = topics,
        Members = new[]
        {
            new KafkaConsumerGroupMember { MemberId = id + "-m1", ClientId = "client-1", Host = "/10.0.0.1", Assignment = topics.Select(t => new KafkaTopicPartition(t, 0)).ToList() },
        },
        Offsets = topics.Select(t => new KafkaConsumerGroupOffset { GroupId = id, Topic = t, Partition = 0, CommittedOffset = 90, LogEndOffset = 100, Lag = 10 }).ToList(),
    };

    public static IReadOnlyDictionary<string, string?> Config(params (string Key, string? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);
}

internal static class Leak
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <summary>Everything a user could see of an object: ToString and its JSON.</summary>
    public static string Render(object? value) => value switch
    {
        null => string.Empty,
        Exception ex => ex.ToString(),
        _ => value + "\n" + JsonSerializer.Serialize(value, value.GetType(), Options),
    };
}
