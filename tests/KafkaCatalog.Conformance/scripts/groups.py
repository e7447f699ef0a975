"""Producer + consumer group: join, consume, commit, rebalance when a second member joins/leaves; group admin calls."""
import threading
import time

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import GroupIdNotFoundError, NoError, NonEmptyGroupError

from common import args, check, result

a = args()
topic = a.prefix + "-events"
group = a.prefix + "-group"
admin = KafkaAdminClient(bootstrap_servers=a.bootstrap, client_id="conformance-groups", request_timeout_ms=15000)
admin.create_topics([NewTopic(topic, 4, 1)])

producer = KafkaProducer(bootstrap_servers=a.bootstrap, acks="all", linger_ms=5, compression_type="gzip")
for i in range(40):
    producer.send(topic, key=b"k%d" % i, value=b"v%d" % i, partition=i % 4)
producer.flush(30)
producer.close()
result("produced", 40)


class Member(threading.Thread):
    """One consumer polling in its own thread (kafka-python rejoins only inside poll())."""

    def __init__(self, name):
        super().__init__(daemon=True)
        self.name_ = name
        self.consumer = KafkaConsumer(topic, bootstrap_servers=a.bootstrap, group_id=group, client_id=name,
                                      auto_offset_reset="earliest", enable_auto_commit=False,
                                      session_timeout_ms=10000, heartbeat_interval_ms=500,
                                      max_poll_interval_ms=20000, max_poll_records=5)
        self.records = 0
        self.assigned = 0
        self.stop_requested = threading.Event()
        self.commit_requested = threading.Event()
        self.committed = threading.Event()
        self.error = None
        self.start()

    def run(self):
        try:
            while not self.stop_requested.is_set():
                for _, records in self.consumer.poll(timeout_ms=100).items():
                    self.records += len(records)
                self.assigned = len(self.consumer.assignment())
                if self.commit_requested.is_set():
                    self.commit_requested.clear()
                    self.consumer.commit()
                    self.committed.set()
            self.consumer.close()
        except Exception as e:  # noqa: BLE001
            self.error = repr(e)

    def commit(self):
        self.committed.clear()
        self.commit_requested.set()
        check(self.committed.wait(30), self.name_ + " did not commit")

    def close(self):
        self.stop_requested.set()
        self.join(30)
        check(self.error is None, self.name_ + " failed: %s" % self.error)


def wait_for(condition, what, seconds=60):
    deadline = time.time() + seconds
    while not condition():
        check(time.time() < deadline, "timed out waiting for " + what)
        time.sleep(0.05)


c1 = Member("member-1")
wait_for(lambda: c1.records >= 10 and c1.assigned == 4, "first member consuming all 4 partitions")
c1.commit()
result("first_member_partitions", c1.assigned)

c2 = Member("member-2")
wait_for(lambda: c1.assigned == 2 and c2.assigned == 2, "rebalance to 2+2")
result("after_join", [c1.assigned, c2.assigned])

groups = dict(admin.list_consumer_groups())
check(groups.get(group) == "consumer", "list_consumer_groups %r" % groups)
info = admin.describe_consumer_groups([group])[0]
check(info.state == "Stable" and len(info.members) == 2, "describe_consumer_groups %r" % (info,))
check(info.protocol in ("range", "roundrobin"), "protocol %r" % info.protocol)
result("described", [info.state, len(info.members)])

c2.close()
wait_for(lambda: c1.assigned == 4, "rebalance back to one member")
result("after_leave", c1.assigned)
wait_for(lambda: c1.records + c2.records >= 40, "all 40 records consumed")
c1.commit()
offsets = admin.list_consumer_group_offsets(group)
check(all(tp.topic == topic for tp in offsets), "offsets %r" % offsets)
result("offset_partitions", sorted(tp.partition for tp in offsets))

# A live group cannot be deleted.
res = dict(admin.delete_consumer_groups([group]))
check(res[group] is NonEmptyGroupError, "delete live group: %r" % res)
c1.close()
res = dict(admin.delete_consumer_groups([group]))
check(res[group] is NoError, "delete empty group: %r" % res)
check(group not in dict(admin.list_consumer_groups()), "group still listed after delete")
res = dict(admin.delete_consumer_groups([a.prefix + "-nope"]))
check(res[a.prefix + "-nope"] is GroupIdNotFoundError, "delete unknown group: %r" % res)
admin.close()
result("ok", True)
