"""SASL with kafka-python 2.0.2 (SaslHandshake v0 + raw token frames): PLAIN, SCRAM-SHA-256/512, OAUTHBEARER."""
from kafka import KafkaAdminClient
from kafka.oauth.abstract import AbstractTokenProvider

from common import args, check, result

a = args(("--mechanism", {"required": True}), ("--user", {"default": ""}), ("--password", {"default": ""}),
         ("--token", {"default": ""}), ("--expect", {"choices": ["ok", "fail"], "required": True}))


class Provider(AbstractTokenProvider):
    def token(self):
        return a.token


kwargs = dict(bootstrap_servers=a.bootstrap, client_id="conformance-sasl", security_protocol="SASL_PLAINTEXT",
              sasl_mechanism=a.mechanism, request_timeout_ms=10000, api_version_auto_timeout_ms=5000)
if a.mechanism == "OAUTHBEARER":
    kwargs["sasl_oauth_token_provider"] = Provider()
else:
    kwargs["sasl_plain_username"] = a.user
    kwargs["sasl_plain_password"] = a.password

try:
    admin = KafkaAdminClient(**kwargs)
    topics = admin.list_topics()
    admin.close()
    outcome = "ok"
    result("topics_listed", "__consumer_offsets" in topics)
except Exception as e:  # noqa: BLE001 - any failure is the outcome under test
    outcome = "fail"
    result("error", type(e).__name__)
    check(a.password == "" or a.password not in str(e), "password leaked into the error")

check(outcome == a.expect, "expected %s, got %s" % (a.expect, outcome))
result("ok", True)
