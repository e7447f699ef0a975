"""Consumer group lag the way a kafka-python 2.0.2 admin script does it, for the lag benchmark.

Usage: /usr/bin/python3 kafka_python_lag.py <bootstrap> <group-prefix> [--batched-ends]

For each group: KafkaAdminClient.list_consumer_group_offsets(group), then the end offsets of that
group's partitions (KafkaConsumer.end_offsets). With --batched-ends the end offsets of all partitions
are fetched once after every group's offsets (kafka-python's best case). Prints one JSON line
(with the process's peak RSS, VmHWM).
"""
import json
import sys
import time

from kafka import KafkaAdminClient, KafkaConsumer


def main():
    bootstrap, prefix = sys.argv[1], sys.argv[2]
    batched = "--batched-ends" in sys.argv
    started = time.monotonic()
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="bench-kafka-python", request_timeout_ms=30000)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id="bench-kafka-python-ends", enable_auto_commit=False)
    setup = time.monotonic() - started
    groups = sorted(g for g, _ in admin.list_consumer_groups() if g.startswith(prefix))
    rows = 0
    total_lag = 0
    committed_by_group = {}
    for group in groups:
        offsets = admin.list_consumer_group_offsets(group)
        committed_by_group[group] = offsets
        if not batched:
            ends = consumer.end_offsets(list(offsets.keys()))
            for tp, meta in offsets.items():
                rows += 1
                total_lag += max(0, ends[tp] - meta.offset)
    if batched:
        partitions = sorted({tp for offsets in committed_by_group.values() for tp in offsets})
        ends = consumer.end_offsets(partitions)
        for offsets in committed_by_group.values():
            for tp, meta in offsets.items():
                rows += 1
                total_lag += max(0, ends[tp] - meta.offset)
    elapsed = time.monotonic() - started
    admin.close()
    consumer.close()
    print(json.dumps({"groups": len(groups), "rows": rows, "total_lag": total_lag, "seconds": elapsed, "setup_seconds": setup,
                      "peak_rss_kb": peak_rss_kb()}))


def peak_rss_kb():
    """This process's peak resident set (VmHWM) in kB, -1 where /proc is missing."""
    try:
        with open("/proc/self/status") as status:
            return int(next(line for line in status if line.startswith("VmHWM:")).split()[1])
    except OSError:
        return -1


if __name__ == "__main__":
    main()
