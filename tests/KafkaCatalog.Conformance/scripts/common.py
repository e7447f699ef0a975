"""Shared helpers for the conformance scripts (kafka-python 2.0.2, run with /usr/bin/python3)."""
import argparse
import json
import sys


def args(*extra):
    p = argparse.ArgumentParser()
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--prefix", default="conf")
    for name, kwargs in extra:
        p.add_argument(name, **kwargs)
    return p.parse_args()


def result(name, value):
    """Machine-readable line the xunit side reads: RESULT <name> <json>."""
    print("RESULT " + name + " " + json.dumps(value, sort_keys=True, default=str))
    sys.stdout.flush()


def check(condition, message):
    if not condition:
        print("CHECK FAILED: " + message, file=sys.stderr)
        sys.exit(1)


def expect_error(fn, error_type, message):
    try:
        fn()
    except error_type as e:  # noqa: BLE001 - the expected Kafka error
        return e
    except Exception as e:  # noqa: BLE001
        check(False, "%s: expected %s, got %r" % (message, error_type.__name__, e))
    check(False, "%s: expected %s, no error raised" % (message, error_type.__name__))
    return None
