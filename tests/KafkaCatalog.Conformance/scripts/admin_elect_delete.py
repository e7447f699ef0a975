"""ElectLeaders (v0, v1) and DeleteRecords (v0, v1) from kafka-python 2.0.2, which has no admin call for either.

The requests and responses are defined here with kafka-python's own protocol types (kafka.protocol.struct/api),
after the Kafka message definitions (ElectLeadersRequest/Response.json, DeleteRecordsRequest/Response.json), and
sent with KafkaAdminClient._send_request_to_node: ElectLeaders to the controller, DeleteRecords to a partition's
leader (and once to a broker that does not lead it). The test side set the topic up: partition 1's leader moved off
its preferred replica, partition 0 holds 10 records.
"""
from kafka import KafkaAdminClient
from kafka.protocol.api import Request, Response
from kafka.protocol.types import Array, Int8, Int16, Int32, Int64, Schema, String

from common import args, check, result


class ElectLeadersResponse_v0(Response):
    API_KEY = 43
    API_VERSION = 0
    SCHEMA = Schema(
        ('throttle_time_ms', Int32),
        ('replica_election_results', Array(
            ('topic', String('utf-8')),
            ('partition_result', Array(
                ('partition_id', Int32),
                ('error_code', Int16),
                ('error_message', String('utf-8')))))))


class ElectLeadersResponse_v1(Response):
    API_KEY = 43
    API_VERSION = 1
    SCHEMA = Schema(
        ('throttle_time_ms', Int32),
        ('error_code', Int16),
        ('replica_election_results', Array(
            ('topic', String('utf-8')),
            ('partition_result', Array(
                ('partition_id', Int32),
                ('error_code', Int16),
                ('error_message', String('utf-8')))))))


class ElectLeadersRequest_v0(Request):
    API_KEY = 43
    API_VERSION = 0
    RESPONSE_TYPE = ElectLeadersResponse_v0
    SCHEMA = Schema(
        ('topic_partitions', Array(('topic', String('utf-8')), ('partitions', Array(Int32)))),
        ('timeout_ms', Int32))


class ElectLeadersRequest_v1(Request):
    API_KEY = 43
    API_VERSION = 1
    RESPONSE_TYPE = ElectLeadersResponse_v1
    SCHEMA = Schema(
        ('election_type', Int8),
        ('topic_partitions', Array(('topic', String('utf-8')), ('partitions', Array(Int32)))),
        ('timeout_ms', Int32))


DELETE_RECORDS_RESPONSE_SCHEMA = Schema(
    ('throttle_time_ms', Int32),
    ('topics', Array(
        ('name', String('utf-8')),
        ('partitions', Array(
            ('partition_index', Int32),
            ('low_watermark', Int64),
            ('error_code', Int16))))))

DELETE_RECORDS_REQUEST_SCHEMA = Schema(
    ('topics', Array(
        ('name', String('utf-8')),
        ('partitions', Array(('partition_index', Int32), ('offset', Int64))))),
    ('timeout_ms', Int32))


class DeleteRecordsResponse_v0(Response):
    API_KEY = 21
    API_VERSION = 0
    SCHEMA = DELETE_RECORDS_RESPONSE_SCHEMA


class DeleteRecordsResponse_v1(Response):
    API_KEY = 21
    API_VERSION = 1
    SCHEMA = DELETE_RECORDS_RESPONSE_SCHEMA


class DeleteRecordsRequest_v0(Request):
    API_KEY = 21
    API_VERSION = 0
    RESPONSE_TYPE = DeleteRecordsResponse_v0
    SCHEMA = DELETE_RECORDS_REQUEST_SCHEMA


class DeleteRecordsRequest_v1(Request):
    API_KEY = 21
    API_VERSION = 1
    RESPONSE_TYPE = DeleteRecordsResponse_v1
    SCHEMA = DELETE_RECORDS_REQUEST_SCHEMA


def send(admin, node_id, request):
    future = admin._send_request_to_node(node_id, request)
    admin._wait_for_futures([future])
    check(future.succeeded(), "%s to node %s failed: %r" % (type(request).__name__, node_id, future.exception))
    return future.value


def election_codes(response):
    return {"%s-%d" % (t[0], p[0]): p[1] for t in response.replica_election_results for p in t[1]}


def deletion(response):
    return {"%s-%d" % (t[0], p[0]): [p[2], p[1]] for t in response.topics for p in t[1]}


def partitions(admin, topic):
    described = admin.describe_topics([topic])[0]
    return {p['partition']: {'leader': p['leader'], 'replicas': p['replicas']} for p in described['partitions']}


def main():
    a = args(("--topic", {"required": True}))
    admin = KafkaAdminClient(bootstrap_servers=a.bootstrap, client_id="conformance-elect-delete", request_timeout_ms=15000)
    try:
        before = partitions(admin, a.topic)
        check(before[0]['leader'] == before[0]['replicas'][0], "partition 0 should start on its preferred leader")
        check(before[1]['leader'] != before[1]['replicas'][0], "partition 1 should start off its preferred leader")
        controller = admin._controller_id

        # v1, preferred: partition 1 moves back, partition 0 needs nothing, the rest does not exist.
        v1 = send(admin, controller, ElectLeadersRequest_v1(
            election_type=0,
            topic_partitions=[(a.topic, [0, 1, 99]), (a.topic + "-missing", [0])],
            timeout_ms=10000))
        result("elect_v1_error", v1.error_code)
        result("elect_v1", election_codes(v1))
        after = partitions(admin, a.topic)
        result("partition1_back_on_preferred", after[1]['leader'] == after[1]['replicas'][0])

        # v0 (no election type: preferred) again: now nothing is needed.
        v0 = send(admin, controller, ElectLeadersRequest_v0(topic_partitions=[(a.topic, [1])], timeout_ms=10000))
        result("elect_v0", election_codes(v0))

        # DeleteRecords to the leader of partition 0: before 4, then -1 (the high watermark), then past the end.
        leader = after[0]['leader']
        d0 = send(admin, leader, DeleteRecordsRequest_v0(topics=[(a.topic, [(0, 4)])], timeout_ms=10000))
        result("delete_v0", deletion(d0))
        d1 = send(admin, leader, DeleteRecordsRequest_v1(topics=[(a.topic, [(0, 1000)]), (a.topic + "-missing", [(0, 1)])], timeout_ms=10000))
        result("delete_v1_out_of_range", deletion(d1))
        d1hw = send(admin, leader, DeleteRecordsRequest_v1(topics=[(a.topic, [(0, -1)])], timeout_ms=10000))
        result("delete_v1_high_watermark", deletion(d1hw))

        # To a broker that does not lead partition 0.
        other = next(b.nodeId for b in admin._client.cluster.brokers() if b.nodeId != leader)
        d1other = send(admin, other, DeleteRecordsRequest_v1(topics=[(a.topic, [(0, 5)])], timeout_ms=10000))
        result("delete_v1_not_leader", deletion(d1other))
        result("ok", True)
    finally:
        admin.close()


if __name__ == "__main__":
    main()
