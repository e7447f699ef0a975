using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Polaris;
using KafkaCatalog.TestKit.Polaris;
using static KafkaCatalog.IntegrationTests.Polaris.PolarisTest;

namespace KafkaCatalog.IntegrationTests.Polaris;

public sealed class PolarisConnectionApiTests
{
    [Fact]
    public async Task Create_sends_the_spec_and_returns_it_without_the_password()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);

        var created = await client.CreateKafkaConnectionAsync(Plain("clicks") with { Description = "clicks on prod", ClientRack = "use1-az4", ScramMechanism = PolarisScramMechanism.ScramSha512 });

        Assert.Equal("clicks", created.Name);
        Assert.Equal("kafka", created.Type);
        Assert.Equal("clicks on prod", created.Description);
        Assert.Equal("127.0.0.1:9092", created.BootstrapServers);
        Assert.Equal("clicks", created.TopicName);
        Assert.False(created.TopicNameIsPattern);
        Assert.Equal("use1-az4", created.ClientRack);
        Assert.Equal("sasl_scram", created.SecretType);
        Assert.Equal("svc-polaris", created.SecretPrincipal);
        Assert.Equal(polaris.ProjectId, created.ProjectId);
        Assert.NotNull(created.SubmittedOn);
        Assert.StartsWith("api-key-", created.SubmittedBy);

        // What the emulator received: the secrets, as Polaris' API expects them.
        var stored = polaris.Store.GetConnectionSpec("clicks")!;
        Assert.Equal("sasl_scram", (string?)stored["secrets"]!["type"]);
        Assert.Equal("SCRAM-SHA-512", (string?)stored["secrets"]!["mechanism"]);
        Assert.Equal(KafkaPassword, (string?)stored["secrets"]!["password"]);

        // ...and never sent back, nor does the output object carry it.
        Assert.All(polaris.Requests, r => Assert.DoesNotContain(KafkaPassword, r.ResponseBody));
        Assert.DoesNotContain(KafkaPassword, JsonSerializer.Serialize(created));
        Assert.DoesNotContain(KafkaPassword, created.ToString());
    }

    [Fact]
    public async Task Api_key_travels_only_in_the_Authorization_header()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        var connection = Connect(polaris);
        using var client = new PolarisClient(connection, new PolarisClientOptions { Resilience = FastRetries });

        await client.CreateKafkaConnectionAsync(Plain("c1"));
        await client.ListKafkaConnectionsAsync();

        Assert.DoesNotContain(polaris.ApiKey, connection.ToString());
        Assert.DoesNotContain(polaris.ApiKey, JsonSerializer.Serialize(connection));
        Assert.All(polaris.Requests, r =>
        {
            Assert.DoesNotContain(polaris.ApiKey, r.RequestBody);
            Assert.DoesNotContain(polaris.ApiKey, r.ResponseBody);
            Assert.DoesNotContain(polaris.ApiKey, r.Path);
        });
    }

    [Fact]
    public async Task Get_list_replace_and_remove_round_trip()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("orders", topic: "orders"));
        await client.CreateKafkaConnectionAsync(new PolarisKafkaConnectionParameters { Name = "all-events", BootstrapServers = "127.0.0.1:9092", TopicPattern = "events-[0-9]+" });

        var listed = await client.ListKafkaConnectionsAsync();
        Assert.Equal(new[] { "all-events", "orders" }, listed.Select(c => c.Name));
        var pattern = await client.GetKafkaConnectionAsync("all-events");
        Assert.True(pattern.TopicNameIsPattern);
        Assert.Null(pattern.SecretType);

        // PUT is a full replace: what is not sent is gone.
        var replaced = await client.ReplaceKafkaConnectionAsync(new PolarisKafkaConnectionParameters
        {
            Name = "orders",
            BootstrapServers = "10.0.0.1:9093,10.0.0.2:9093",
            TopicName = "orders-v2",
            AwsAssumedRoleArn = "arn:aws:iam::123456789012:role/msk_client_role",
        });
        Assert.Equal("orders-v2", replaced.TopicName);
        Assert.Equal("10.0.0.1:9093,10.0.0.2:9093", replaced.BootstrapServers);
        Assert.Equal("aws_iam", replaced.SecretType);
        Assert.Equal("arn:aws:iam::123456789012:role/msk_client_role", replaced.SecretPrincipal);
        Assert.Null(polaris.Store.GetConnectionSpec("orders")!["secrets"]!["password"]);

        await client.RemoveKafkaConnectionAsync("orders");
        Assert.Equal(new[] { "all-events" }, polaris.Store.ConnectionNames);
        var gone = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.GetKafkaConnectionAsync("orders"));
        Assert.Equal("PolarisConnectionNotFound", gone.ErrorId);
        Assert.Equal(FailureKind.ObjectNotFound, gone.Kind);
    }

    [Fact]
    public async Task Duplicate_name_is_a_specific_error_and_leaves_the_first()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks", topic: "clicks"));

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.CreateKafkaConnectionAsync(Plain("clicks", topic: "other")));

        Assert.Equal("PolarisConnectionExists", ex.ErrorId);
        Assert.Equal(FailureKind.ResourceExists, ex.Kind);
        Assert.Contains("Set-PolarisKafkaConnection", ex.Message);
        Assert.Equal("clicks", (string?)polaris.Store.GetConnectionSpec("clicks")!["topicName"]);
    }

    [Theory]
    [InlineData("comma,name")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("ümlaut")]
    [InlineData("a-name-that-is-much-longer-than-sixty-four-characters-and-so-is-refused-by-polaris")]
    public async Task Bad_names_fail_before_any_request(string name)
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.CreateKafkaConnectionAsync(Plain(name)));

        Assert.Equal("PolarisInvalidConnectionName", ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.Empty(polaris.Requests);
        Assert.Empty(polaris.Store.ConnectionNames);
    }

    [Fact]
    public async Task Emulator_itself_enforces_the_name_rules()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(polaris.ProjectUri, "connections"))
        {
            Content = new StringContent("{\"type\":\"kafka\",\"name\":\"bad name!\",\"bootstrapServers\":\"h:1\",\"topicName\":\"t\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", polaris.ApiKey);

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1-64 characters", await response.Content.ReadAsStringAsync());
        Assert.Empty(polaris.Store.ConnectionNames);
    }

    [Fact]
    public async Task Missing_secret_fails_before_any_request()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.CreateKafkaConnectionAsync(Plain("clicks") with { Password = null }));

        Assert.Equal("PolarisSecretMissing", ex.ErrorId);
        Assert.Contains("svc-polaris", ex.Message);
        Assert.Empty(polaris.Requests);
    }

    [Fact]
    public async Task Wrong_api_key_is_an_authentication_error_without_retries_or_key_in_the_message()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        const string wrongKey = "pok_wrongwrongwrongwrong";
        using var client = Client(polaris, apiKey: wrongKey);

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.CreateKafkaConnectionAsync(Plain("clicks")));

        Assert.Equal("PolarisUnauthorized", ex.ErrorId);
        Assert.Equal(FailureKind.AuthenticationError, ex.Kind);
        Assert.DoesNotContain(wrongKey, ex.ToString());
        Assert.DoesNotContain(KafkaPassword, ex.ToString());
        Assert.Single(polaris.Requests);
        Assert.Equal(401, polaris.Requests[0].StatusCode);
        Assert.Empty(polaris.Store.ConnectionNames);
    }

    [Fact]
    public async Task Unknown_connection_is_not_found_for_get_replace_remove_and_test()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);

        var get = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.GetKafkaConnectionAsync("nope"));
        var put = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.ReplaceKafkaConnectionAsync(Plain("nope")));
        var delete = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.RemoveKafkaConnectionAsync("nope"));
        var test = await client.TestKafkaConnectionAsync("nope");

        Assert.All(new[] { get, put, delete }, e => Assert.Equal("PolarisConnectionNotFound", e.ErrorId));
        Assert.Contains("New-PolarisKafkaConnection", put.Message);
        Assert.False(test.Succeeded);
        Assert.Equal("PolarisConnectionNotFound", test.ErrorId);
        Assert.Empty(polaris.Store.ConnectionNames);
    }

    [Fact]
    public async Task Wrong_project_is_reported_as_not_found()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        var connection = PolarisConnection.Create("x", polaris.BaseUri, Secure(polaris.ApiKey), projectId: Guid.NewGuid().ToString());
        using var client = new PolarisClient(connection, new PolarisClientOptions { Resilience = FastRetries });

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.GetKafkaConnectionAsync("clicks"));

        Assert.Equal("PolarisConnectionNotFound", ex.ErrorId);
        Assert.Contains(connection.ProjectId, ex.Message);
    }

    [Fact]
    public async Task Remove_refuses_while_a_job_uses_the_connection()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        await client.CreateKafkaConnectionAsync(Plain("clicks"));
        var job = await client.StartIngestionJobAsync(Job("clicks", "clicks"));

        var ex = await Assert.ThrowsAsync<KafkaCatalogException>(() => client.RemoveKafkaConnectionAsync("clicks"));
        Assert.Equal("PolarisConnectionInUse", ex.ErrorId);
        Assert.Contains("clicks", polaris.Store.ConnectionNames);

        await client.StopIngestionJobAsync(job.JobId);
        await client.RemoveKafkaConnectionAsync("clicks");
        Assert.Empty(polaris.Store.ConnectionNames);
    }

    [Fact]
    public async Task Truststore_from_a_CA_file_is_sent_as_pem()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        using var client = Client(polaris);
        var ca = TestCertificates.WriteCaFile(out var pem);
        try
        {
            var created = await client.CreateKafkaConnectionAsync(Plain("tls") with { CaFile = ca });

            Assert.True(created.HasTruststore);
            var stored = polaris.Store.GetConnectionSpec("tls")!;
            Assert.Equal("pem", (string?)stored["ssl"]!["truststore"]!["type"]);
            Assert.Equal(pem.Trim(), ((string?)stored["ssl"]!["truststore"]!["certificates"])!.Trim());
        }
        finally
        {
            File.Delete(ca);
        }
    }
}
