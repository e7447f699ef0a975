using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using KafkaCatalog.TestKit.Polaris;

namespace KafkaCatalog.IntegrationTests.Polaris;

/// <summary>The emulator's own HTTP surface, driven with a plain HttpClient.</summary>
public sealed class PolarisEmulatorTests
{
    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(PolarisEmulator polaris, HttpMethod method, string relative, string? json = null, string? authorization = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, new Uri(polaris.ProjectUri, relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", authorization ?? polaris.ApiKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task The_raw_key_is_accepted_as_the_polaris_docs_send_it()
    {
        await using var polaris = await PolarisEmulator.StartAsync();

        var (status, body) = await SendAsync(polaris, HttpMethod.Get, "connections");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(body!["values"]!.AsArray());
    }

    [Fact]
    public async Task Base64_of_key_colon_is_refused_because_no_polaris_source_shows_it()
    {
        await using var polaris = await PolarisEmulator.StartAsync();

        var (status, _) = await SendAsync(polaris, HttpMethod.Get, "connections", authorization: Convert.ToBase64String(Encoding.UTF8.GetBytes(polaris.ApiKey + ":")));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [InlineData("cG9rX3dyb25nOg==")]
    [InlineData("not base64 !")]
    public async Task Wrong_credentials_get_401_with_a_message(string value)
    {
        await using var polaris = await PolarisEmulator.StartAsync();

        var (status, body) = await SendAsync(polaris, HttpMethod.Get, "connections", authorization: value);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("API key", (string?)body!["message"]);
    }

    [Fact]
    public async Task Tables_can_be_created_listed_and_read_and_duplicates_conflict()
    {
        await using var polaris = await PolarisEmulator.StartAsync();

        var created = await SendAsync(polaris, HttpMethod.Post, "tables", "{\"name\":\"orders\"}");
        var duplicate = await SendAsync(polaris, HttpMethod.Post, "tables", "{\"name\":\"orders\"}");
        var list = await SendAsync(polaris, HttpMethod.Get, "tables");
        var one = await SendAsync(polaris, HttpMethod.Get, "tables/orders");
        var missing = await SendAsync(polaris, HttpMethod.Get, "tables/nope");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("orders", (string?)list.Body!["values"]![0]!["name"]);
        Assert.Equal("orders", (string?)one.Body!["name"]);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task Job_status_endpoint_reports_execution_status_and_health()
    {
        await using var polaris = await PolarisEmulator.StartAsync(new PolarisEmulatorOptions { AdvanceJobsOnRead = false });
        await SendAsync(polaris, HttpMethod.Post, "connections", "{\"type\":\"kafka\",\"name\":\"c\",\"bootstrapServers\":\"h:1\",\"topicName\":\"t\"}");
        var job = await SendAsync(polaris, HttpMethod.Post, "jobs", "{\"type\":\"streaming\",\"target\":{\"type\":\"table\",\"tableName\":\"t\"},\"createTableIfNotExists\":true,\"source\":{\"type\":\"connection\",\"connectionName\":\"c\",\"formatSettings\":{\"format\":\"nd-json\"}},\"mappings\":[{\"columnName\":\"__time\",\"expression\":\"TIME_PARSE(\\\"ts\\\")\"}]}");
        var id = (string)job.Body!["id"]!;

        var pending = await SendAsync(polaris, HttpMethod.Get, $"jobs/{id}/status");
        polaris.AdvanceJob(id, executionStatus: "failed", healthStatus: "error", healthMessage: "Topic deleted.");
        var failed = await SendAsync(polaris, HttpMethod.Get, $"jobs/{id}/status");
        var errorJobs = await SendAsync(polaris, HttpMethod.Get, "jobs?healthStatus=error");
        var okJobs = await SendAsync(polaris, HttpMethod.Get, "jobs?healthStatus=ok");

        Assert.Equal(HttpStatusCode.Created, job.Status);
        Assert.Equal("pending", (string?)pending.Body!["executionStatus"]);
        Assert.Equal("failed", (string?)failed.Body!["executionStatus"]);
        Assert.Equal("error", (string?)failed.Body!["health"]!["status"]);
        Assert.Equal("Topic deleted.", (string?)failed.Body!["health"]!["message"]);
        Assert.Single(errorJobs.Body!["values"]!.AsArray());
        Assert.Empty(okJobs.Body!["values"]!.AsArray());
        Assert.False(polaris.Store.GetJob(id)!.IsActive);
    }

    [Theory]
    [InlineData("{\"type\":\"streaming\",\"target\":{\"type\":\"table\",\"tableName\":\"t\"},\"createTableIfNotExists\":true,\"source\":{\"type\":\"connection\",\"connectionName\":\"c\",\"formatSettings\":{\"format\":\"nd-json\"}},\"mappings\":[]}", "__time")]
    [InlineData("{\"type\":\"streaming\",\"target\":{\"type\":\"table\",\"tableName\":\"t\"},\"createTableIfNotExists\":true,\"source\":{\"type\":\"connection\",\"connectionName\":\"c\",\"formatSettings\":{\"format\":\"parquet\"}},\"mappings\":[{\"columnName\":\"__time\",\"expression\":\"x\"}]}", "format")]
    [InlineData("{\"type\":\"streaming\",\"target\":{\"type\":\"table\",\"tableName\":\"t\"},\"createTableIfNotExists\":true,\"source\":{\"type\":\"connection\",\"connectionName\":\"c\",\"formatSettings\":{\"format\":\"nd-json\"}},\"mappings\":[{\"columnName\":\"__time\",\"expression\":\"x\"}],\"readFromPoint\":\"middle\"}", "readFromPoint")]
    [InlineData("{\"type\":\"streaming\",\"target\":{\"type\":\"table\",\"tableName\":\"t\"},\"createTableIfNotExists\":true,\"source\":{\"type\":\"connection\",\"connectionName\":\"c\",\"formatSettings\":{\"format\":\"nd-json\"}},\"mappings\":[{\"columnName\":\"__time\",\"expression\":\"x\"}],\"lateMessageRejectionPeriod\":\"30 days\"}", "ISO-8601")]
    [InlineData("{\"type\":\"batch\"}", "streaming")]
    public async Task Bad_job_specs_get_400_and_create_nothing(string json, string expected)
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        await SendAsync(polaris, HttpMethod.Post, "connections", "{\"type\":\"kafka\",\"name\":\"c\",\"bootstrapServers\":\"h:1\",\"topicName\":\"t\"}");

        var (status, body) = await SendAsync(polaris, HttpMethod.Post, "jobs", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, (string?)body!["message"]);
        Assert.Empty(polaris.Store.Jobs);
        Assert.Empty(polaris.Store.TableNames);
    }

    [Theory]
    [InlineData("{\"type\":\"kafka\",\"name\":\"c\",\"bootstrapServers\":\"h:1\",\"topicName\":\"t\",\"secrets\":{\"type\":\"sasl_plain\",\"username\":\"u\"}}", "username and password")]
    [InlineData("{\"type\":\"kafka\",\"name\":\"c\",\"bootstrapServers\":\"h:1\",\"topicName\":\"t\",\"secrets\":{\"type\":\"sasl_scram\",\"username\":\"u\",\"password\":\"p\"}}", "SCRAM-SHA-256 or SCRAM-SHA-512")]
    [InlineData("{\"type\":\"kafka\",\"name\":\"c\",\"bootstrapServers\":\"h:1\",\"topicName\":\"t\",\"secrets\":{\"type\":\"aws_iam\"}}", "awsAssumedRoleArn")]
    [InlineData("{\"type\":\"kafka\",\"name\":\"c\",\"bootstrapServers\":\"h:1\",\"topicName\":\"t\",\"ssl\":{\"truststore\":{\"type\":\"pem\",\"certificates\":\"garbage\"}}}", "certificate")]
    [InlineData("{\"type\":\"kafka\",\"name\":\"c\",\"topicName\":\"t\"}", "bootstrapServers")]
    [InlineData("{\"type\":\"kinesis\",\"name\":\"c\"}", "kinesis")]
    public async Task Bad_connection_specs_get_400_and_store_nothing(string json, string expected)
    {
        await using var polaris = await PolarisEmulator.StartAsync();

        var (status, body) = await SendAsync(polaris, HttpMethod.Post, "connections", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, (string?)body!["message"]);
        Assert.Empty(polaris.Store.ConnectionNames);
    }

    [Fact]
    public async Task Put_cannot_rename_and_unknown_routes_are_refused()
    {
        await using var polaris = await PolarisEmulator.StartAsync();
        await SendAsync(polaris, HttpMethod.Post, "connections", "{\"type\":\"kafka\",\"name\":\"c\",\"bootstrapServers\":\"h:1\",\"topicName\":\"t\"}");

        var rename = await SendAsync(polaris, HttpMethod.Put, "connections/c", "{\"type\":\"kafka\",\"name\":\"d\",\"bootstrapServers\":\"h:1\",\"topicName\":\"t\"}");
        var unknown = await SendAsync(polaris, HttpMethod.Delete, "jobs");

        Assert.Equal(HttpStatusCode.BadRequest, rename.Status);
        Assert.Contains("cannot be changed", (string?)rename.Body!["message"]);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, unknown.Status);
        Assert.Equal(new[] { "c" }, polaris.Store.ConnectionNames);
    }
}
