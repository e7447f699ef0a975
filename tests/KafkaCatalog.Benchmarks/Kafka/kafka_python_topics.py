"""Every topic with its partitions the way a kafka-python 2.0.2 admin script lists them, for the pwsh benchmarks.

Usage: /usr/bin/python3 kafka_python_topics.py <bootstrap>

KafkaAdminClient.describe_topics() (one metadata request for every topic, partitions with leader,
replicas and ISR), internal topics left out like Get-KafkaTopic does. Prints one JSON line: topics,
partitions, seconds (whole job including the client), setup_seconds (building the client), peak_rss_kb.
"""
import json
import sys
import time

from kafka import KafkaAdminClient

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/KafkaGroups")
from kafka_python_lag import peak_rss_kb  # noqa: E402


def main():
    started = time.monotonic()
    admin = KafkaAdminClient(bootstrap_servers=sys.argv[1], client_id="bench-kafka-python-topics", request_timeout_ms=120000)
    setup = time.monotonic() - started
    topics = [t for t in admin.describe_topics() if not t["is_internal"]]
    partitions = sum(len(t["partitions"]) for t in topics)
    elapsed = time.monotonic() - started
    admin.close()
    print(json.dumps({"topics": len(topics), "partitions": partitions, "seconds": elapsed, "setup_seconds": setup,
                      "peak_rss_kb": peak_rss_kb()}))


if __name__ == "__main__":
    main()
