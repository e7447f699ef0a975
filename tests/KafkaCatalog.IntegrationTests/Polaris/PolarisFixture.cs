using System.Security;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.Core.Resilience;
using KafkaCatalog.TestKit.Polaris;

namespace KafkaCatalog.IntegrationTests.Polaris;

/// <summary>Helpers shared by the Polaris integration tests: one emulator per test (state stays isolated).</summary>
internal static class PolarisTest
{
    public const string KafkaPassword = "kafka-s3cret-Pa55word!";

    public static readonly PolarisResilienceOptions FastRetries = new()
    {
        MaxRetryAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(30),
    };

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

    public static PolarisConnection Connect(PolarisEmulator emulator, string? apiKey = null, TimeSpan? requestTimeout = null) =>
        PolarisConnection.Create("test", emulator.ProjectUri, Secure(apiKey ?? emulator.ApiKey), requestTimeout: requestTimeout);

    public static PolarisClient Client(PolarisEmulator emulator, IOperationSink? sink = null, string? apiKey = null, PolarisResilienceOptions? resilience = null, TimeSpan? requestTimeout = null) =>
        new(Connect(emulator, apiKey, requestTimeout), new PolarisClientOptions { Resilience = resilience ?? FastRetries }, sink);

    public static PolarisKafkaConnectionParameters Plain(string name, string bootstrap = "127.0.0.1:9092", string topic = "clicks") => new()
    {
        Name = name,
        BootstrapServers = bootstrap,
        TopicName = topic,
        Username = "svc-polaris",
        Password = Secure(KafkaPassword),
    };

    public static PolarisIngestionJobSpec Job(string table, string connection, bool create = true) =>
        PolarisIngestionJobSpecBuilder.Build(new PolarisIngestionJobParameters
        {
            TableName = table,
            ConnectionName = connection,
            CreateTableIfNotExists = create,
        }).Spec;
}

/// <summary>Collects what a Core service reports.</summary>
internal sealed class RecordingSink : IOperationSink
{
    private readonly List<string> _lines = new();

    public IReadOnlyList<string> Verboses
    {
        get
        {
            lock (_lines)
            {
                return _lines.Where(l => l.StartsWith("V:", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
            }
        }
    }

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_lines)
            {
                return _lines.Where(l => l.StartsWith("W:", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
            }
        }
    }

    public string All
    {
        get
        {
            lock (_lines)
            {
                return string.Join("\n", _lines);
            }
        }
    }

    public void Verbose(string message)
    {
        lock (_lines)
        {
            _lines.Add("V:" + message);
        }
    }

    public void Warning(string message)
    {
        lock (_lines)
        {
            _lines.Add("W:" + message);
        }
    }

    public void Progress(OperationProgress progress)
    {
        lock (_lines)
        {
            _lines.Add("P:" + progress.Status);
        }
    }
}
