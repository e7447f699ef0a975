"""KafkaAdminClient: describe_configs (topic, broker), alter_configs, create/describe/delete ACLs (authorizer on)."""
from kafka import KafkaAdminClient
from kafka.admin import (ACL, ACLFilter, ACLOperation, ACLPermissionType, ConfigResource,
                         ConfigResourceType, NewTopic, ResourcePattern, ResourcePatternFilter,
                         ResourceType)
from kafka.admin.acl_resource import ACLResourcePatternType

from common import args, check, result

a = args()
admin = KafkaAdminClient(bootstrap_servers=a.bootstrap, client_id="conformance-configs", request_timeout_ms=15000)
topic = a.prefix + "-cfg"
admin.create_topics([NewTopic(topic, 1, 1, topic_configs={"retention.ms": "3600000"})])

resp = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
entries = {c[0]: c[1] for c in resp[0].resources[0][4]}
check(entries.get("retention.ms") == "3600000", "retention.ms %r" % entries.get("retention.ms"))
check("cleanup.policy" in entries, "cleanup.policy missing from %r" % sorted(entries))
result("topic_retention", entries["retention.ms"])

resp = admin.describe_configs([ConfigResource(ConfigResourceType.BROKER, "1")])
broker_entries = {c[0]: c[1] for c in resp[0].resources[0][4]}
check(len(broker_entries) > 0, "no broker configs")
result("broker_config_count_positive", len(broker_entries) > 0)

admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={"retention.ms": "7200000"})])
resp = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
entries = {c[0]: c[1] for c in resp[0].resources[0][4]}
check(entries.get("retention.ms") == "7200000", "alter_configs not applied: %r" % entries.get("retention.ms"))
result("altered_retention", entries["retention.ms"])

acl = ACL(principal="User:reader", host="*", operation=ACLOperation.READ, permission_type=ACLPermissionType.ALLOW,
          resource_pattern=ResourcePattern(ResourceType.TOPIC, topic, ACLResourcePatternType.LITERAL))
created = admin.create_acls([acl])
check(len(created["failed"]) == 0, "create_acls failed: %r" % created["failed"])
flt = ACLFilter(principal="User:reader", host="*", operation=ACLOperation.ANY, permission_type=ACLPermissionType.ANY,
                resource_pattern=ResourcePatternFilter(ResourceType.TOPIC, topic, ACLResourcePatternType.LITERAL))
acls, err = admin.describe_acls(flt)
check(len(acls) == 1 and acls[0].operation == ACLOperation.READ, "describe_acls %r" % acls)
result("described_acls", len(acls))
deleted = admin.delete_acls([flt])
check(len(deleted) == 1 and len(deleted[0][1]) == 1, "delete_acls %r" % deleted)
acls, err = admin.describe_acls(flt)
check(len(acls) == 0, "ACL still present after delete: %r" % acls)
admin.close()
result("ok", True)
