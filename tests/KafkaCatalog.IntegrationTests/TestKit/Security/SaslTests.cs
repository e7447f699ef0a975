using System.Security.Cryptography;
using System.Text;
using KafkaCatalog.TestKit.Kafka.Security;
using KafkaCatalog.TestKit.OAuth;

namespace KafkaCatalog.IntegrationTests.TestKit.Security;

public class SaslTests
{
    private static KafkaSecurityOptions Options()
    {
        var o = new KafkaSecurityOptions { Protocol = KafkaSecurityProtocol.SaslPlaintext };
        o.AddUser("alice", "alice-secret");
        return o;
    }

    [Theory]
    [InlineData("\0alice\0alice-secret")]
    [InlineData("alice\0alice\0alice-secret")]
    public void Plain_Accepts_EmptyOrMatchingAuthzid(string token)
    {
        var s = new SaslSession(Options());
        Assert.Equal(0, s.Handshake("PLAIN", 1).ErrorCode);
        Assert.False(s.IsRequestAllowed(3));
        var r = s.Authenticate(Encoding.UTF8.GetBytes(token));
        Assert.Equal(0, r.ErrorCode);
        Assert.Empty(r.AuthBytes);
        Assert.True(s.IsAuthenticated);
        Assert.Equal("User:alice", s.Principal);
        Assert.True(s.IsRequestAllowed(3));
    }

    [Theory]
    [InlineData("\0alice\0wrong", "Authentication failed: Invalid username or password")]
    [InlineData("\0mallory\0alice-secret", "Authentication failed: Invalid username or password")]
    [InlineData("bob\0alice\0alice-secret", "Authentication failed: Client requested an authorization id that is different from username")]
    [InlineData("alice-secret", "Invalid SASL/PLAIN response: expected 3 tokens, got 1")]
    [InlineData("\0\0x", "Authentication failed: username not specified")]
    public void Plain_Rejects_WithKafkaMessages(string token, string message)
    {
        var s = new SaslSession(Options());
        s.Handshake("PLAIN", 1);
        var r = s.Authenticate(Encoding.UTF8.GetBytes(token));
        Assert.Equal(SaslErrors.SaslAuthenticationFailed, r.ErrorCode);
        Assert.Equal(message, r.ErrorMessage);
        Assert.True(r.CloseConnection);
        Assert.False(s.IsAuthenticated);
        Assert.DoesNotContain("secret", r.ErrorMessage!);
        Assert.DoesNotContain("wrong", r.ErrorMessage!);
    }

    [Fact]
    public void Handshake_UnknownMechanism_ListsEnabledMechanisms()
    {
        var o = Options();
        o.EnabledMechanisms.Remove(SaslMechanisms.OAuthBearer);
        var s = new SaslSession(o);
        var r = s.Handshake("GSSAPI", 1);
        Assert.Equal(SaslErrors.UnsupportedSaslMechanism, r.ErrorCode);
        Assert.Equal(new[] { "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512" }, r.Mechanisms);
        Assert.Equal(SaslErrors.UnsupportedSaslMechanism, s.Handshake("OAUTHBEARER", 1).ErrorCode);
    }

    [Fact]
    public void Handshake_v0_SwitchesToRawFrames()
    {
        var s = new SaslSession(Options());
        s.Handshake("PLAIN", 0);
        Assert.True(s.ExpectRawTokens);
        s.Authenticate("\0alice\0alice-secret"u8);
        Assert.False(s.ExpectRawTokens);
    }

    [Fact]
    public void Reauthentication_SameMechanismAndPrincipal_Succeeds()
    {
        var o = Options();
        o.AddUser("bob", "bob-secret");
        var s = new SaslSession(o);
        s.Handshake("PLAIN", 1);
        s.Authenticate("\0alice\0alice-secret"u8);
        Assert.Equal(0, s.Handshake("PLAIN", 1).ErrorCode);
        Assert.True(s.IsRequestAllowed(3)); // still authenticated while re-authenticating
        Assert.Equal(0, s.Authenticate("\0alice\0alice-secret"u8).ErrorCode);
        Assert.Equal(1, s.Reauthentications);

        Assert.Equal(SaslErrors.IllegalSaslState, s.Handshake("SCRAM-SHA-256", 1).ErrorCode);

        var t = new SaslSession(o);
        t.Handshake("PLAIN", 1);
        t.Authenticate("\0alice\0alice-secret"u8);
        t.Handshake("PLAIN", 1);
        var r = t.Authenticate("\0bob\0bob-secret"u8);
        Assert.Equal(SaslErrors.SaslAuthenticationFailed, r.ErrorCode);
        Assert.Equal("Cannot change principals during re-authentication from User:alice: User:bob", r.ErrorMessage);
        Assert.True(r.CloseConnection);
    }

    [Fact]
    public void Authenticate_BeforeHandshake_IsIllegalSaslState()
    {
        var s = new SaslSession(Options());
        Assert.Equal(SaslErrors.IllegalSaslState, s.Authenticate("x"u8).ErrorCode);
    }

    [Fact]
    public void Scram256_Rfc7677TestVector()
    {
        var store = new SaslCredentialStore();
        store.AddScramCredential("user", SaslMechanisms.ScramSha256,
            ScramServer.CreateCredential(HashAlgorithmName.SHA256, "pencil", 4096, Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ==")));
        var server = new ScramServer(SaslMechanisms.ScramSha256, store) { ServerNonceFactory = () => "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0" };
        var first = server.Evaluate("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"u8);
        Assert.False(first.Complete);
        Assert.Equal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", Encoding.UTF8.GetString(first.Challenge));
        var final = server.Evaluate("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="u8);
        Assert.True(final.Complete);
        Assert.Equal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Encoding.UTF8.GetString(final.Challenge));
        Assert.Equal("user", server.AuthenticatedUser);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public void Scram_FullExchange_WithRandomNonces(string mechanism)
    {
        var s = new SaslSession(Options());
        Assert.Equal(0, s.Handshake(mechanism, 1).ErrorCode);
        var client = new ScramTestClient(mechanism, "alice", "alice-secret");
        var r1 = s.Authenticate(client.ClientFirst());
        Assert.Equal(0, r1.ErrorCode);
        var r2 = s.Authenticate(client.ClientFinal(r1.AuthBytes));
        Assert.Equal(0, r2.ErrorCode);
        Assert.True(client.VerifyServerFinal(r2.AuthBytes));
        Assert.True(s.IsAuthenticated);
        Assert.Equal("User:alice", s.Principal);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256", "alice", "wrong")]
    [InlineData("SCRAM-SHA-512", "alice", "wrong")]
    [InlineData("SCRAM-SHA-256", "nobody", "alice-secret")]
    public void Scram_WrongCredentials_FailWithKafkaMessage(string mechanism, string user, string password)
    {
        var s = new SaslSession(Options());
        s.Handshake(mechanism, 1);
        var client = new ScramTestClient(mechanism, user, password);
        var r1 = s.Authenticate(client.ClientFirst());
        var r = r1.ErrorCode != 0 ? r1 : s.Authenticate(client.ClientFinal(r1.AuthBytes));
        Assert.Equal(SaslErrors.SaslAuthenticationFailed, r.ErrorCode);
        Assert.Equal($"Authentication failed during authentication due to invalid credentials with SASL mechanism {mechanism}", r.ErrorMessage);
        Assert.False(s.IsAuthenticated);
    }

    [Fact]
    public void Scram_TamperedNonce_Fails()
    {
        var s = new SaslSession(Options());
        s.Handshake("SCRAM-SHA-256", 1);
        var client = new ScramTestClient("SCRAM-SHA-256", "alice", "alice-secret");
        var r1 = s.Authenticate(client.ClientFirst());
        var final = Encoding.UTF8.GetString(client.ClientFinal(r1.AuthBytes)).Replace(",r=", ",r=X", StringComparison.Ordinal);
        Assert.Equal(SaslErrors.SaslAuthenticationFailed, s.Authenticate(Encoding.UTF8.GetBytes(final)).ErrorCode);
    }

    [Fact]
    public async Task OAuthBearer_ValidatesTokensOfTheTestEndpoint()
    {
        await using var oauth = await OAuthTestServer.StartAsync(new OAuthTestServerOptions { TokenFormat = OAuthTokenFormat.JwtHs256 });
        var o = Options();
        o.OAuthTokenValidator = oauth.Validate;
        o.RequiredScope = "kafka";

        var good = oauth.IssueToken("svc-a", "kafka other");
        var s = new SaslSession(o);
        s.Handshake("OAUTHBEARER", 1);
        var r = s.Authenticate(Encoding.UTF8.GetBytes($"n,,\u0001auth=Bearer {good}\u0001traceId=1\u0001\u0001"));
        Assert.Equal(0, r.ErrorCode);
        Assert.Empty(r.AuthBytes);
        Assert.Equal("User:svc-a", s.Principal);

        var noScope = oauth.IssueToken("svc-b", "other");
        s = new SaslSession(o);
        s.Handshake("OAUTHBEARER", 1);
        r = s.Authenticate(Encoding.UTF8.GetBytes($"n,,\u0001auth=Bearer {noScope}\u0001\u0001"));
        Assert.Equal(0, r.ErrorCode);
        Assert.Equal("{\"status\":\"insufficient_scope\",\"scope\":\"kafka\"}", Encoding.UTF8.GetString(r.AuthBytes));
        r = s.Authenticate("\u0001"u8);
        Assert.Equal(SaslErrors.SaslAuthenticationFailed, r.ErrorCode);
        Assert.Equal("{\"status\":\"insufficient_scope\",\"scope\":\"kafka\"}", r.ErrorMessage);

        s = new SaslSession(o);
        s.Handshake("OAUTHBEARER", 1);
        r = s.Authenticate(Encoding.UTF8.GetBytes($"n,,\u0001auth=Bearer {good}x\u0001\u0001"));
        Assert.Equal("{\"status\":\"invalid_token\"}", Encoding.UTF8.GetString(r.AuthBytes));
        Assert.Equal(SaslErrors.SaslAuthenticationFailed, s.Authenticate("\u0001"u8).ErrorCode);
    }

    [Fact]
    public void OAuthBearer_UnsecuredJwt_OnlyWhenAllowed()
    {
        string header = Base64Url.Encode("{\"alg\":\"none\"}"u8);
        string payload = Base64Url.Encode(Encoding.UTF8.GetBytes($"{{\"sub\":\"rdk\",\"exp\":{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}.0}}"));
        string token = $"{header}.{payload}.";
        var msg = Encoding.UTF8.GetBytes($"n,,\u0001auth=Bearer {token}\u0001\u0001");

        var o = Options();
        var s = new SaslSession(o);
        s.Handshake("OAUTHBEARER", 1);
        Assert.NotEmpty(s.Authenticate(msg).AuthBytes); // error challenge
        Assert.False(s.IsAuthenticated);

        o.AllowUnsecuredJwt = true;
        s = new SaslSession(o);
        s.Handshake("OAUTHBEARER", 1);
        Assert.Equal(0, s.Authenticate(msg).ErrorCode);
        Assert.Equal("User:rdk", s.Principal);
    }

    [Fact]
    public void OAuthBearer_MalformedFirstMessage_Fails()
    {
        var o = Options();
        o.AllowUnsecuredJwt = true;
        var s = new SaslSession(o);
        s.Handshake("OAUTHBEARER", 1);
        var r = s.Authenticate("n,,\u0001auth=Basic abc\u0001\u0001"u8);
        Assert.Equal(SaslErrors.SaslAuthenticationFailed, r.ErrorCode);
    }

    /// <summary>Minimal RFC 5802 client for the tests.</summary>
    private sealed class ScramTestClient(string mechanism, string user, string password)
    {
        private readonly HashAlgorithmName _hash = mechanism == "SCRAM-SHA-512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        private readonly string _nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        private string _clientFirstBare = "";
        private byte[] _serverSignature = Array.Empty<byte>();

        public byte[] ClientFirst()
        {
            _clientFirstBare = $"n={user},r={_nonce}";
            return Encoding.UTF8.GetBytes("n,," + _clientFirstBare);
        }

        public byte[] ClientFinal(byte[] serverFirstBytes)
        {
            string serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
            var attrs = serverFirst.Split(',').ToDictionary(p => p[0], p => p[2..]);
            Assert.StartsWith(_nonce, attrs['r']);
            byte[] salt = Convert.FromBase64String(attrs['s']);
            int iterations = int.Parse(attrs['i'], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(4096, iterations);
            int len = _hash == HashAlgorithmName.SHA512 ? 64 : 32;
            byte[] salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, _hash, len);
            byte[] clientKey = Hmac(salted, "Client Key"u8.ToArray());
            byte[] storedKey = _hash == HashAlgorithmName.SHA512 ? SHA512.HashData(clientKey) : SHA256.HashData(clientKey);
            string withoutProof = $"c=biws,r={attrs['r']}";
            byte[] authMessage = Encoding.UTF8.GetBytes(_clientFirstBare + "," + serverFirst + "," + withoutProof);
            byte[] signature = Hmac(storedKey, authMessage);
            byte[] proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
            _serverSignature = Hmac(Hmac(salted, "Server Key"u8.ToArray()), authMessage);
            return Encoding.UTF8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof));
        }

        public bool VerifyServerFinal(byte[] serverFinal) =>
            Encoding.UTF8.GetString(serverFinal) == "v=" + Convert.ToBase64String(_serverSignature);

        private byte[] Hmac(byte[] key, byte[] data) =>
            _hash == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);
    }
}
