using System.Text;
using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Polaris;

namespace KafkaCatalog.Core.Tests.Polaris;

public sealed class PolarisNameRulesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("my_connection")]
    [InlineData("orders-kafka.v2")]
    [InlineData("ABC-123_x.y")]
    public void Legal_names(string name) => Assert.Null(PolarisNameRules.ConnectionNameProblem(name));

    [Fact]
    public void Sixty_four_characters_is_the_limit()
    {
        Assert.Null(PolarisNameRules.ConnectionNameProblem(new string('a', 64)));
        Assert.Contains("limit is 64", PolarisNameRules.ConnectionNameProblem(new string('a', 65)));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a b", "' '")]
    [InlineData("a/b", "'/'")]
    [InlineData("naïve", "'ï'")]
    [InlineData("a:b", "':'")]
    public void Illegal_names_say_why(string name, string expected)
    {
        var problem = PolarisNameRules.ConnectionNameProblem(name);
        Assert.NotNull(problem);
        Assert.Contains(expected, problem);
        Assert.Equal("PolarisInvalidConnectionName", Assert.Throws<KafkaCatalogException>(() => PolarisNameRules.ValidateConnectionName(name)).ErrorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" padded ")]
    [InlineData("a/b")]
    [InlineData("tab\there")]
    public void Illegal_table_names(string name) =>
        Assert.Equal("PolarisInvalidTableName", Assert.Throws<KafkaCatalogException>(() => PolarisNameRules.ValidateTableName(name)).ErrorId);
}

public sealed class IsoPeriodTests
{
    [Theory]
    [InlineData("P30D", 30 * 24.0)]
    [InlineData("P1W", 7 * 24.0)]
    [InlineData("PT6H", 6.0)]
    [InlineData("P1DT12H", 36.0)]
    [InlineData("P1Y", 365 * 24.0)]
    [InlineData("P2M", 60 * 24.0)]
    [InlineData("PT90M", 1.5)]
    public void Parses(string text, double hours)
    {
        Assert.True(IsoPeriod.TryParse(text, out var period));
        Assert.Equal(hours, period.TotalHours, 6);
    }

    [Theory]
    [InlineData("30D")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1DT")]
    [InlineData("P-1D")]
    [InlineData("thirty days")]
    public void Refuses(string text)
    {
        Assert.False(IsoPeriod.TryParse(text, out _));
        Assert.Equal("PolarisInvalidPeriod", Assert.Throws<KafkaCatalogException>(() => IsoPeriod.Parse(text, "-X")).ErrorId);
    }
}

public sealed class PolarisIngestionJobSpecBuilderTests
{
    private static PolarisIngestionJobParameters Basic => new() { TableName = "clicks", ConnectionName = "clicks" };

    private static JsonElement Wire(PolarisIngestionJobSpec spec) => JsonDocument.Parse(Encoding.UTF8.GetString(PolarisJson.WriteJob(spec))).RootElement;

    [Fact]
    public void Defaults_give_a_streaming_nd_json_job_with_time_mapping_and_schema_discovery()
    {
        var plan = PolarisIngestionJobSpecBuilder.Build(Basic with { CreateTableIfNotExists = true });
        var wire = Wire(plan.Spec);

        Assert.Empty(plan.Warnings);
        Assert.Equal("streaming", wire.GetProperty("type").GetString());
        Assert.Equal("table", wire.GetProperty("target").GetProperty("type").GetString());
        Assert.Equal("clicks", wire.GetProperty("target").GetProperty("tableName").GetString());
        Assert.True(wire.GetProperty("createTableIfNotExists").GetBoolean());
        Assert.Equal("connection", wire.GetProperty("source").GetProperty("type").GetString());
        Assert.Equal("nd-json", wire.GetProperty("source").GetProperty("formatSettings").GetProperty("format").GetString());
        Assert.Equal("timestamp", wire.GetProperty("source").GetProperty("inputSchema")[0].GetProperty("name").GetString());
        Assert.Equal("__time", wire.GetProperty("mappings")[0].GetProperty("columnName").GetString());
        Assert.Equal("TIME_PARSE(\"timestamp\")", wire.GetProperty("mappings")[0].GetProperty("expression").GetString());
        Assert.True(wire.GetProperty("useSchemaDiscovery").GetBoolean());
        Assert.Equal("latest", wire.GetProperty("readFromPoint").GetString());
        Assert.False(wire.TryGetProperty("lateMessageRejectionPeriod", out _));
    }

    [Fact]
    public void Input_schema_without_mappings_maps_each_field_and_the_time()
    {
        var plan = PolarisIngestionJobSpecBuilder.Build(Basic with
        {
            TimestampColumn = "ts",
            InputSchema = new[] { new PolarisInputField("user", "string"), new PolarisInputField("n", "long") },
        });

        Assert.Equal(new[] { "ts", "user", "n" }, plan.Spec.InputSchema.Select(f => f.Name));
        Assert.Equal(new[] { "__time", "user", "n" }, plan.Spec.Mappings.Select(m => m.ColumnName));
        Assert.Equal("TIME_PARSE(\"ts\")", plan.Spec.Mappings[0].Expression);
        Assert.Equal("\"user\"", plan.Spec.Mappings[1].Expression);
        Assert.False(plan.Spec.UseSchemaDiscovery);
    }

    [Fact]
    public void Kafka_format_uses_the_record_timestamp()
    {
        var plan = PolarisIngestionJobSpecBuilder.Build(Basic with { Format = PolarisIngestionFormat.Kafka });
        var format = Wire(plan.Spec).GetProperty("source").GetProperty("formatSettings");

        Assert.Equal("kafka", format.GetProperty("format").GetString());
        Assert.Equal("nd-json", format.GetProperty("valueFormat").GetProperty("format").GetString());
        Assert.Equal("kafka.timestamp", format.GetProperty("timestampColumnName").GetString());
        Assert.Equal(new PolarisInputField("kafka.timestamp", "long"), plan.Spec.InputSchema[0]);
        Assert.Equal("MILLIS_TO_TIMESTAMP(\"kafka.timestamp\")", plan.Spec.Mappings[0].Expression);
    }

    [Fact]
    public void Kafka_format_names_key_and_headers_as_druids_KafkaInputFormat_does()
    {
        var format = Wire(PolarisIngestionJobSpecBuilder.Build(Basic with { Format = PolarisIngestionFormat.Kafka }).Spec).GetProperty("source").GetProperty("formatSettings");

        Assert.Equal("csv", format.GetProperty("keyFormat").GetProperty("format").GetString());
        Assert.Equal("key", format.GetProperty("keyFormat").GetProperty("columns")[0].GetString());
        Assert.Equal("string", format.GetProperty("headerFormat").GetProperty("type").GetString());
        Assert.Equal("UTF-8", format.GetProperty("headerFormat").GetProperty("encoding").GetString());
        Assert.Equal("kafka.header.", format.GetProperty("headerColumnPrefix").GetString());
        Assert.Equal("kafka.key", format.GetProperty("keyColumnName").GetString());
        Assert.Equal("kafka.topic", format.GetProperty("topicColumnName").GetString());
        Assert.False(format.TryGetProperty("headerLabelPrefix", out _));
    }

    [Fact]
    public void Mappings_must_include_time()
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => PolarisIngestionJobSpecBuilder.Build(Basic with
        {
            Mappings = new[] { new PolarisColumnMapping("user", "\"user\"") },
        }));

        Assert.Equal("PolarisTimeMappingMissing", ex.ErrorId);
        Assert.Contains("__time", ex.Message);
    }

    [Fact]
    public void Explicit_mappings_are_sent_as_given()
    {
        var mappings = new[] { new PolarisColumnMapping("__time", "TIME_PARSE(\"when\")"), new PolarisColumnMapping("u", "UPPER(\"user\")") };
        var plan = PolarisIngestionJobSpecBuilder.Build(Basic with { Mappings = mappings, InputSchema = new[] { new PolarisInputField("when", "string"), new PolarisInputField("user", "string") } });

        Assert.Equal(mappings, plan.Spec.Mappings);
        Assert.Equal(2, plan.Spec.InputSchema.Count);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("String")]
    public void Unknown_data_types_are_refused(string type) =>
        Assert.Equal("PolarisInvalidInputSchema", Assert.Throws<KafkaCatalogException>(() => PolarisIngestionJobSpecBuilder.Build(Basic with { InputSchema = new[] { new PolarisInputField("x", type) } })).ErrorId);

    [Fact]
    public void Duplicate_columns_are_refused()
    {
        Assert.Equal("PolarisInvalidInputSchema", Assert.Throws<KafkaCatalogException>(() => PolarisIngestionJobSpecBuilder.Build(Basic with { InputSchema = new[] { new PolarisInputField("x", "long"), new PolarisInputField("x", "string") } })).ErrorId);
        Assert.Equal("PolarisInvalidMapping", Assert.Throws<KafkaCatalogException>(() => PolarisIngestionJobSpecBuilder.Build(Basic with { Mappings = new[] { new PolarisColumnMapping("__time", "a"), new PolarisColumnMapping("__time", "b") } })).ErrorId);
    }

    [Fact]
    public void Earliest_with_the_default_period_warns_about_dropped_events()
    {
        var plan = PolarisIngestionJobSpecBuilder.Build(Basic with { ReadFromPoint = PolarisReadFromPoint.Earliest });

        var warning = Assert.Single(plan.Warnings);
        Assert.Contains("older than 30 days", warning);
        Assert.Contains("P30D (the Polaris default)", warning);
        Assert.Contains("-LateMessageRejectionPeriod", warning);
    }

    [Theory]
    [InlineData("P7D", PolarisReadFromPoint.Latest, "older than 7 days")]
    [InlineData("PT12H", PolarisReadFromPoint.Latest, "older than 12 hours")]
    [InlineData("P30D", PolarisReadFromPoint.Earliest, "older than 30 days")]
    public void Short_periods_warn(string period, PolarisReadFromPoint from, string expected)
    {
        var plan = PolarisIngestionJobSpecBuilder.Build(Basic with { LateMessageRejectionPeriod = period, ReadFromPoint = from });

        Assert.Contains(expected, Assert.Single(plan.Warnings));
    }

    [Theory]
    [InlineData(null, PolarisReadFromPoint.Latest)]
    [InlineData("P30D", PolarisReadFromPoint.Latest)]
    [InlineData("P90D", PolarisReadFromPoint.Earliest)]
    [InlineData("P1Y", PolarisReadFromPoint.Earliest)]
    public void Long_enough_periods_do_not_warn(string? period, PolarisReadFromPoint from)
    {
        var plan = PolarisIngestionJobSpecBuilder.Build(Basic with { LateMessageRejectionPeriod = period, ReadFromPoint = from });

        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Bad_periods_and_names_are_specific_errors()
    {
        Assert.Equal("PolarisInvalidPeriod", Assert.Throws<KafkaCatalogException>(() => PolarisIngestionJobSpecBuilder.Build(Basic with { LateMessageRejectionPeriod = "30 days" })).ErrorId);
        Assert.Equal("PolarisInvalidPeriod", Assert.Throws<KafkaCatalogException>(() => PolarisIngestionJobSpecBuilder.Build(Basic with { EarlyMessageRejectionPeriod = "1D" })).ErrorId);
        Assert.Equal("PolarisInvalidTableName", Assert.Throws<KafkaCatalogException>(() => PolarisIngestionJobSpecBuilder.Build(Basic with { TableName = "" })).ErrorId);
        Assert.Equal("PolarisInvalidConnectionName", Assert.Throws<KafkaCatalogException>(() => PolarisIngestionJobSpecBuilder.Build(Basic with { ConnectionName = "bad name" })).ErrorId);
    }
}
