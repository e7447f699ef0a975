"""KafkaAdminClient.DEFAULT_CONFIG of the installed kafka-python, as a profile KafkaCatalog reads.

Writes to --out every DEFAULT_CONFIG key with its default value (values JSON cannot hold, such as the selector class,
become null) and bootstrap_servers set to --bootstrap, then proves kafka-python itself accepts exactly that dict by
connecting with it.
"""
import json

from kafka import KafkaAdminClient

from common import args, check, result

a = args(("--out", {"required": True}))
profile = {}
for key, value in KafkaAdminClient.DEFAULT_CONFIG.items():
    try:
        json.dumps(value)
        profile[key] = [list(v) for v in value] if key == "socket_options" else value
    except TypeError:
        profile[key] = None
profile["bootstrap_servers"] = a.bootstrap
profile["client_id"] = "conformance-default-config"

accepted = {k: v for k, v in profile.items() if v is not None and k != "socket_options"}
admin = KafkaAdminClient(**accepted)
check(len(admin.list_topics()) >= 0, "list_topics failed")
admin.close()

with open(a.out, "w", encoding="utf-8") as f:
    json.dump(profile, f)
result("keys", sorted(profile))
