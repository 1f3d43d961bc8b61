"""What a grading child tells its parent: message kinds, their signatures, and a test's result text.

Each message is JSON, signed with a key only the parent and that child hold (HMAC-SHA256 over
its sequence number and body), so a submission that writes to the channel cannot forge a
result: a frame that fails authentication or arrives out of sequence is `Forged`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from enum import Enum
from multiprocessing.connection import Connection

#: Largest message the parent accepts from a child.
MAX_MESSAGE = 256 * 1024
#: A test case's message starts with Otter's own words for its outcome.
PASSED = "✅ Test case passed"
FAILED = "❌ Test case failed\n"


class Kind(str, Enum):
    """The kinds of message, in the order a child sends them."""

    READY = "ready"  # confined; carries which confinement took effect
    BEGIN = "begin"  # a notebook cell or a test case starts (the parent times it)
    CELL = "cell"  # a cell ended, with its error if it raised
    CASE = "case"  # a test case ended: passed, and its message
    DONE = "done"  # every cell and case ran
    TAMPERED = "changed"  # the integrity guard found a change: the grade is void
    FATAL = "fatal"  # the grading code itself failed

    __str__ = str.__str__


class Forged(ValueError):
    """A frame that was not signed by the child's key, or not in sequence."""


def failed(text: str) -> str:
    """A failed case's message: Otter's prefix, then why."""
    return FAILED + text


def reason(message: str) -> str:
    """A case's message without Otter's prefix: what a person reads."""
    return message.removeprefix(FAILED)


def sign(key: bytes, seq: int, payload: bytes) -> str:
    """The authentication tag of message number `seq`."""
    return hmac.new(key, seq.to_bytes(8, "big") + payload, hashlib.sha256).hexdigest()


class Sender:
    """The child's end: signs and numbers each message."""

    def __init__(self, conn: Connection, key: bytes) -> None:
        self._conn, self._key, self._seq = conn, key, 0

    def send(self, kind: Kind, **fields: object) -> None:
        message = {"kind": kind.value, **fields}
        payload = json.dumps(message).encode()
        if len(payload) > MAX_MESSAGE - 200:
            cut = str(message.get("message", ""))[: MAX_MESSAGE // 8] + "\n[cut]"
            payload = json.dumps(dict(message, message=cut)).encode()
        frame = {"seq": self._seq, "mac": sign(self._key, self._seq, payload), "body": payload.decode()}
        self._conn.send_bytes(json.dumps(frame).encode())
        self._seq += 1


class Receiver:
    """The parent's end for one child attempt: checks each frame's signature and sequence."""

    def __init__(self, key: bytes) -> None:
        self._key, self._seq = key, 0

    def open(self, frame: bytes) -> dict:
        """The message in `frame` (with a `Kind` under "kind"); Forged if it is not genuine."""
        try:
            outer = json.loads(frame)
            payload = outer["body"].encode()
            genuine = outer["seq"] == self._seq and hmac.compare_digest(
                outer["mac"], sign(self._key, self._seq, payload)
            )
            message = json.loads(payload) if genuine else None
            if isinstance(message, dict):
                message["kind"] = Kind(message.get("kind"))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise Forged("a message on the grading channel was forged") from None
        if not isinstance(message, dict):
            raise Forged("a message on the grading channel was forged")
        self._seq += 1
        return message
