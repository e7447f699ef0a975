"""Keyed messages through kafka-python's KafkaProducer (DefaultPartitioner: murmur2 of the key, as the Java client).

Reads one key per line (UTF-8) from --keys, creates --topic with --partitions partitions, sends each key without a
partition and reports where the broker stored it, next to what DefaultPartitioner computes on its own.
"""
from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from kafka.partitioner.default import DefaultPartitioner

from common import args, check, result

a = args(("--topic", {"required": True}), ("--partitions", {"type": int, "required": True}), ("--keys", {"required": True}))
with open(a.keys, encoding="utf-8") as f:
    keys = [line.rstrip("\n") for line in f if line.rstrip("\n")]

admin = KafkaAdminClient(bootstrap_servers=a.bootstrap, client_id="conformance-partitioner", request_timeout_ms=15000)
admin.create_topics([NewTopic(a.topic, a.partitions, 1)])
admin.close()

producer = KafkaProducer(bootstrap_servers=a.bootstrap, acks="all", linger_ms=5)
futures = [(key, producer.send(a.topic, key=key.encode("utf-8"), value=b"v")) for key in keys]
producer.flush(30)
placed = {key: future.get(timeout=30).partition for key, future in futures}
producer.close()

partitions = list(range(a.partitions))
computed = {key: DefaultPartitioner()(key.encode("utf-8"), partitions, partitions) for key in keys}
check(placed == computed, "the broker's placement differs from DefaultPartitioner's")
result("placement", placed)
