"""KafkaAdminClient: create_topics (validate_only, errors), list/describe topics, create_partitions, delete_topics."""
import time

from kafka import KafkaAdminClient
from kafka.admin import NewPartitions, NewTopic
from kafka.errors import (InvalidPartitionsError, InvalidReplicationFactorError,
                          TopicAlreadyExistsError, UnknownTopicOrPartitionError)

from common import args, check, expect_error, result

a = args()
admin = KafkaAdminClient(bootstrap_servers=a.bootstrap, client_id="conformance-admin", request_timeout_ms=15000)
name = a.prefix + "-orders"

# validate_only: accepted, nothing created
admin.create_topics([NewTopic(name, 3, 1)], validate_only=True)
check(name not in admin.list_topics(), "validate_only must not create the topic")

admin.create_topics([NewTopic(name, 3, 1, topic_configs={"retention.ms": "3600000"})])
check(name in admin.list_topics(), "topic missing after create_topics")
result("created", name)

expect_error(lambda: admin.create_topics([NewTopic(name, 3, 1)]), TopicAlreadyExistsError, "duplicate create")
expect_error(lambda: admin.create_topics([NewTopic(a.prefix + "-bad-rf", 1, 9)]), InvalidReplicationFactorError, "rf > brokers")
expect_error(lambda: admin.create_topics([NewTopic(a.prefix + "-bad-p", 0, 1)]), InvalidPartitionsError, "0 partitions")

described = admin.describe_topics([name])
check(len(described) == 1 and described[0]["error_code"] == 0, "describe_topics error: %r" % described)
parts = sorted(p["partition"] for p in described[0]["partitions"])
check(parts == [0, 1, 2], "partitions %r" % parts)
result("describe_partitions", parts)

cluster = admin.describe_cluster()
check(cluster["cluster_id"] is not None and len(cluster["brokers"]) >= 1, "describe_cluster %r" % cluster)
result("brokers", sorted(b["node_id"] for b in cluster["brokers"]))

admin.create_partitions({name: NewPartitions(total_count=5)})
described = admin.describe_topics([name])
check(len(described[0]["partitions"]) == 5, "create_partitions did not grow the topic: %r" % described)
expect_error(lambda: admin.create_partitions({name: NewPartitions(total_count=2)}), InvalidPartitionsError, "shrink partitions")
result("partitions_after_grow", len(described[0]["partitions"]))

admin.delete_topics([name])
deadline = time.time() + 10
while name in admin.list_topics() and time.time() < deadline:
    time.sleep(0.1)
check(name not in admin.list_topics(), "topic still listed after delete_topics")
try:
    admin.delete_topics([a.prefix + "-never-created"])
    check(False, "deleting an unknown topic must fail")
except UnknownTopicOrPartitionError:
    result("delete_unknown", "UnknownTopicOrPartitionError")
admin.close()
result("ok", True)
