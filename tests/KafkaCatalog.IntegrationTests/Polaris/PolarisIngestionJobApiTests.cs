using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.TestKit.Polaris;
using static KafkaCatalog.IntegrationTests.Polaris.PolarisTest;

namespace KafkaCatalog.IntegrationTests.Polaris;

public sealed class PolarisIngestionJobApiTests
{
    [Fact]
    public async Task Topic_to_connection_to_job_pipeline_at_core_level()
    {
        // Get-KafkaTopic clicks | New-PolarisKafkaConnection -Name clicks | Start-PolarisIngestionJob -TableName clicks -CreateTable
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        var topic = new KafkaTopic { Name = "clicks", Partitions = Array.Empty<KafkaPartition>(), BootstrapServers = "127.0.0.1:19092", ConnectionName = "prod" };

        var connection = await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Name = "clicks", Topic = topic });
        var plan = PolarisIngestionJobSpecBuilder.Build(new PolarisIngestionJobParameters { ConnectionName = connection.Name, TableName = "clicks", CreateTableIfNotExists = true });
        var job = await client.StartIngestionJobAsync(plan.Spec);

        Assert.Equal("127.0.0.1:19092", connection.BootstrapServers);
        Assert.Equal("clicks", connection.TopicName);
        Assert.Equal("clicks", job.TableName);
        Assert.Equal("clicks", job.ConnectionName);
        Assert.Equal("pending", job.ExecutionStatus);
        Assert.Equal("running", job.DesiredExecutionStatus);
        Assert.Equal("ok", job.HealthStatus);
        Assert.Equal("nd-json", job.Format);
        Assert.Equal("latest", job.ReadFromPoint);
        Assert.Equal("P30D", job.LateMessageRejectionPeriod);
        Assert.True(job.CreateTableIfNotExists);
        Assert.Contains("clicks", polaris.Store.TableNames);

        var sent = polaris.Store.GetJob(job.JobId)!.Spec;
        Assert.Equal("__time", (string?)sent["mappings"]![0]!["columnName"]);
        Assert.Equal("TIME_PARSE(\"timestamp\")", (string?)sent["mappings"]![0]!["expression"]);
        Assert.True((bool?)sent["useSchemaDiscovery"]);
    }

    [Fact]
    public async Task Job_status_and_row_totals_move_with_reads_and_AdvanceJob()
    {
        await using var polaris = await PolarisEmulator.StartAsync(new PolarisEmulatorOptions { RowsPerRead = 250 });
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));
        var job = await client.StartIngestionJobAsync(Job("clicks", "clicks"));

        var first = await client.GetIngestionJobAsync(job.JobId);
        Assert.Equal("running", first.ExecutionStatus);
        Assert.Equal(0, first.RowsProcessed);
        Assert.NotNull(first.StartedOn);

        var second = await client.GetIngestionJobAsync(job.JobId);
        Assert.Equal(250, second.RowsProcessed);

        polaris.AdvanceJob(job.JobId, rows: 1000, rowsWithWarnings: 7, skippedByFilter: 30, skippedByError: 2, healthStatus: "warn", healthMessage: "Some rows were unparseable.");
        var third = await client.GetIngestionJobAsync(job.JobId);
        Assert.Equal(1500, third.RowsProcessed);
        Assert.Equal(7, third.RowsProcessedWithWarnings);
        Assert.Equal(30, third.RowsSkippedByFilter);
        Assert.Equal(2, third.RowsSkippedByError);
        Assert.Equal("warn", third.HealthStatus);
        Assert.Equal("Some rows were unparseable.", third.HealthMessage);

        var listed = new List<PolarisIngestionJob>();
        await foreach (var j in client.ListIngestionJobsAsync())
        {
            listed.Add(j);
        }

        Assert.Equal(job.JobId, Assert.Single(listed).JobId);
    }

    [Fact]
    public async Task Stop_cancels_and_is_idempotent()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));
        var job = await client.StartIngestionJobAsync(Job("clicks", "clicks"));

        var stopped = await client.StopIngestionJobAsync(job.JobId);
        var again = await client.StopIngestionJobAsync(job.JobId);

        Assert.Equal("canceled", stopped.ExecutionStatus);
        Assert.Equal("canceled", stopped.DesiredExecutionStatus);
        Assert.NotNull(stopped.CompletedOn);
        Assert.Equal("canceled", again.ExecutionStatus);
        Assert.False(polaris.Store.GetJob(job.JobId)!.IsActive);

        // The table is free again for a new streaming job.
        var next = await client.StartIngestionJobAsync(Job("clicks", "clicks"));
        Assert.NotEqual(job.JobId, next.JobId);
    }

    [Fact]
    public async Task Second_streaming_job_into_a_table_is_refused()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("a"));
        await client.CreateKafkaConnectionAsync(Plain("b"));
        var first = await client.StartIngestionJobAsync(Job("clicks", "a"));

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.StartIngestionJobAsync(Job("clicks", "b")));

        Assert.Equal("PolarisTableHasStreamingJob", ex.ErrorId);
        Assert.Contains(first.JobId, ex.Message);
        Assert.Single(polaris.Store.Jobs);
    }

    [Fact]
    public async Task Unknown_connection_and_missing_table_are_distinct_errors()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));

        var noConnection = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.StartIngestionJobAsync(Job("clicks", "nope")));
        var noTable = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.StartIngestionJobAsync(Job("clicks", "clicks", create: false)));

        Assert.Equal("PolarisConnectionNotFound", noConnection.ErrorId);
        Assert.Equal("PolarisTableNotFound", noTable.ErrorId);
        Assert.Contains("-CreateTable", noTable.Message);
        Assert.Empty(polaris.Store.Jobs);
        Assert.Empty(polaris.Store.TableNames);
    }

    [Fact]
    public async Task Existing_table_needs_no_CreateTable()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        polaris.Store.AddTable("clicks");
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));

        var job = await client.StartIngestionJobAsync(Job("clicks", "clicks", create: false));

        Assert.False(job.CreateTableIfNotExists);
    }

    [Fact]
    public async Task Kafka_format_with_schema_mappings_and_periods_is_sent_as_specified()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("orders"));
        var plan = PolarisIngestionJobSpecBuilder.Build(new PolarisIngestionJobParameters
        {
            TableName = "orders",
            ConnectionName = "orders",
            CreateTableIfNotExists = true,
            Format = PolarisIngestionFormat.Kafka,
            InputSchema = new[] { new PolarisInputField("orderId", "string"), new PolarisInputField("amount", "double") },
            ReadFromPoint = PolarisReadFromPoint.Earliest,
            LateMessageRejectionPeriod = "P365D",
            EarlyMessageRejectionPeriod = "P1D",
        });

        var job = await client.StartIngestionJobAsync(plan.Spec);

        Assert.Empty(plan.Warnings);
        Assert.Equal("kafka", job.Format);
        Assert.Equal("earliest", job.ReadFromPoint);
        Assert.Equal("P365D", job.LateMessageRejectionPeriod);
        var sent = polaris.Store.GetJob(job.JobId)!.Spec;
        Assert.Equal("nd-json", (string?)sent["source"]!["formatSettings"]!["valueFormat"]!["format"]);
        Assert.Equal(new[] { "kafka.timestamp", "orderId", "amount" }, sent["source"]!["inputSchema"]!.AsArray().Select(f => (string?)f!["name"]));
        Assert.Equal("MILLIS_TO_TIMESTAMP(\"kafka.timestamp\")", (string?)sent["mappings"]![0]!["expression"]);
        Assert.Null(sent["useSchemaDiscovery"]);
        Assert.Equal("P1D", (string?)sent["earlyMessageRejectionPeriod"]);

        // Druid KafkaInputFormat: the key and headers are read only with keyFormat / headerFormat,
        // and the header prefix is headerColumnPrefix (not headerLabelPrefix).
        var format = sent["source"]!["formatSettings"]!;
        Assert.Equal("csv", (string?)format["keyFormat"]!["format"]);
        Assert.Equal("key", (string?)format["keyFormat"]!["columns"]![0]);
        Assert.Equal("string", (string?)format["headerFormat"]!["type"]);
        Assert.Equal("UTF-8", (string?)format["headerFormat"]!["encoding"]);
        Assert.Equal("kafka.header.", (string?)format["headerColumnPrefix"]);
        Assert.Equal("kafka.key", (string?)format["keyColumnName"]);
        Assert.Null(format["headerLabelPrefix"]);
    }

    [Fact]
    public async Task Schema_discovery_into_an_existing_strict_table_is_refused_before_anything_is_created()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));
        polaris.Store.AddTable("clicks", schemaMode: "strict");
        var plan = PolarisIngestionJobSpecBuilder.Build(new PolarisIngestionJobParameters { ConnectionName = "clicks", TableName = "clicks", CreateTableIfNotExists = true });
        var posts = polaris.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/jobs", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.StartIngestionJobAsync(plan.Spec));

        Assert.Equal("PolarisSchemaDiscoveryNotAllowed", ex.ErrorId);
        Assert.Empty(polaris.Store.Jobs);
        Assert.Equal(posts, polaris.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/jobs", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Schema_discovery_into_an_existing_flexible_table_is_sent()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));
        polaris.Store.AddTable("clicks", schemaMode: "flexible");
        var plan = PolarisIngestionJobSpecBuilder.Build(new PolarisIngestionJobParameters { ConnectionName = "clicks", TableName = "clicks" });

        var job = await client.StartIngestionJobAsync(plan.Spec);

        Assert.True((bool?)polaris.Store.GetJob(job.JobId)!.Spec["useSchemaDiscovery"]);
    }

    [Fact]
    public async Task The_emulator_refuses_useSchemaDiscovery_for_a_strict_table_and_unknown_kafka_format_fields()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));
        polaris.Store.AddTable("strict", schemaMode: "strict");
        using var http = new HttpClient();
        async Task<int> PostAsync(string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(polaris.ProjectUri, "jobs"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", polaris.ApiKey);
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }

        const string mappings = "\"mappings\":[{\"columnName\":\"__time\",\"expression\":\"TIME_PARSE(\\\"timestamp\\\")\"}]";
        Assert.Equal(400, await PostAsync("{\"type\":\"streaming\",\"target\":{\"type\":\"table\",\"tableName\":\"strict\"},\"source\":{\"type\":\"connection\",\"connectionName\":\"clicks\",\"formatSettings\":{\"format\":\"nd-json\"}}," + mappings + ",\"useSchemaDiscovery\":true}"));
        Assert.Equal(400, await PostAsync("{\"type\":\"streaming\",\"target\":{\"type\":\"table\",\"tableName\":\"new\"},\"createTableIfNotExists\":true,\"source\":{\"type\":\"connection\",\"connectionName\":\"clicks\",\"formatSettings\":{\"format\":\"kafka\",\"valueFormat\":{\"format\":\"nd-json\"},\"headerLabelPrefix\":\"kafka.header.\"}}," + mappings + "}"));
        Assert.Empty(polaris.Store.Jobs);
    }

    [Fact]
    public async Task Unknown_job_is_not_found_for_get_and_stop()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);

        var get = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.GetIngestionJobAsync("5f0e7c1a-0000-0000-0000-000000000000"));
        var stop = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.StopIngestionJobAsync("5f0e7c1a-0000-0000-0000-000000000000"));
        var bad = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.GetIngestionJobAsync("../connections"));

        Assert.Equal("PolarisJobNotFound", get.ErrorId);
        Assert.Equal("PolarisJobNotFound", stop.ErrorId);
        Assert.Equal("PolarisInvalidJobId", bad.ErrorId);
        Assert.Equal(2, polaris.Requests.Count);
    }

    [Fact]
    public async Task Job_output_never_carries_secrets()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));
        var job = await client.StartIngestionJobAsync(Job("clicks", "clicks"));
        var read = await client.GetIngestionJobAsync(job.JobId);

        var json = JsonSerializer.Serialize(read);
        Assert.DoesNotContain(KafkaPassword, json);
        Assert.DoesNotContain(polaris.ApiKey, json);
        Assert.All(polaris.Requests, r => Assert.DoesNotContain(KafkaPassword, r.ResponseBody));
    }
}
