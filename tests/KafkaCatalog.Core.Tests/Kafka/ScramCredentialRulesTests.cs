using System.Net;
using System.Security;
using System.Text.Json;
using KafkaCatalog.Core;
using KafkaCatalog.Core.Kafka;
using KafkaCatalog.Core.Kafka.Scram;

namespace KafkaCatalog.Core.Tests.Kafka;

public sealed class ScramCredentialRulesTests
{
    private static SecureString Secure(string s) => new NetworkCredential(string.Empty, s).SecurePassword;

    [Theory]
    [InlineData("SCRAM-SHA-256", "SCRAM-SHA-256")]
    [InlineData("scram-sha-512", "SCRAM-SHA-512")]
    [InlineData("SCRAM-SHA-1", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Normalize_knows_Kafkas_two_mechanisms(string? name, string? expected) =>
        Assert.Equal(expected, ScramMechanisms.Normalize(name));

    [Fact]
    public void Salt_is_as_long_as_the_mechanisms_hash() =>
        Assert.Equal((32, 64), (ScramMechanisms.SaltLength(ScramMechanisms.Sha256), ScramMechanisms.SaltLength(ScramMechanisms.Sha512)));

    [Theory]
    [InlineData(4096)]
    [InlineData(8192)]
    [InlineData(16384)]
    public void Validate_accepts_Kafkas_iteration_range(int iterations) =>
        Assert.Equal(ScramMechanisms.Sha512, ScramCredentialService.Validate("alice", Secure("pw"), "scram-sha-512", iterations));

    [Theory]
    [InlineData(null, "pw", "SCRAM-SHA-512", 8192, "ScramUserNameEmpty")]
    [InlineData("", "pw", "SCRAM-SHA-512", 8192, "ScramUserNameEmpty")]
    [InlineData("alice", "", "SCRAM-SHA-512", 8192, "ScramPasswordEmpty")]
    [InlineData("alice", "pw", "PLAIN", 8192, "ScramMechanismUnsupported")]
    [InlineData("alice", "pw", "SCRAM-SHA-256", 4095, "ScramIterationsOutOfRange")]
    [InlineData("alice", "pw", "SCRAM-SHA-256", 16385, "ScramIterationsOutOfRange")]
    [InlineData("alice", "pw", "SCRAM-SHA-256", -1, "ScramIterationsOutOfRange")]
    public void Validate_refuses_bad_input_with_a_specific_id(string? user, string password, string mechanism, int iterations, string errorId)
    {
        var ex = Assert.Throws<KafkaCatalogException>(() => ScramCredentialService.Validate(user, Secure(password), mechanism, iterations));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(FailureKind.InvalidArgument, ex.Kind);
        Assert.DoesNotContain("pw", ex.Message.Replace("password", string.Empty, StringComparison.OrdinalIgnoreCase), StringComparison.Ordinal);
    }

    [Fact]
    public void The_output_record_carries_no_secret_in_text_or_JSON()
    {
        var credential = new KafkaUserScramCredential("alice", ScramMechanisms.Sha512, 8192) { ConnectionName = "prod" };

        Assert.Equal("alice SCRAM-SHA-512 (8192 iterations)", credential.ToString());
        Assert.Equal(["ConnectionName", "Iterations", "Mechanism", "User"], typeof(KafkaUserScramCredential).GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract").Order());
        Assert.Equal("""{"User":"alice","Mechanism":"SCRAM-SHA-512","Iterations":8192,"ConnectionName":"prod"}""", JsonSerializer.Serialize(credential));
    }
}
