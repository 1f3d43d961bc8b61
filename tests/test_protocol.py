"""The grading channel: signed, numbered messages; anything else is a forgery (no forking here)."""

from __future__ import annotations

import json
import multiprocessing

import pytest

from dl541.protocol import FAILED, MAX_MESSAGE, PASSED, Forged, Kind, Receiver, Sender, failed, reason, sign


@pytest.fixture
def pipe():
    receiver, sender = multiprocessing.Pipe(duplex=False)
    yield receiver, sender
    receiver.close()
    sender.close()


def test_messages_arrive_in_order_with_their_kind(pipe):
    receiver, sender = pipe
    out, inbox = Sender(sender, b"k" * 32), Receiver(b"k" * 32)
    out.send(Kind.READY, seccomp=True, landlock=False)
    out.send(Kind.CASE, question="q1", case="q1 - 1", passed=True, message=PASSED)
    first, second = (inbox.open(receiver.recv_bytes()) for _ in range(2))
    assert first == {"kind": Kind.READY, "seccomp": True, "landlock": False}
    assert second["kind"] is Kind.CASE and second["passed"] is True


def test_a_frame_signed_with_another_key_is_forged(pipe):
    receiver, sender = pipe
    Sender(sender, b"a" * 32).send(Kind.DONE)
    with pytest.raises(Forged):
        Receiver(b"b" * 32).open(receiver.recv_bytes())


def test_a_replayed_frame_is_forged(pipe):
    receiver, sender = pipe
    out, inbox = Sender(sender, b"k" * 32), Receiver(b"k" * 32)
    out.send(Kind.BEGIN, cell=0)
    frame = receiver.recv_bytes()
    inbox.open(frame)
    with pytest.raises(Forged):
        inbox.open(frame)  # number 0 again, where number 1 is due


@pytest.mark.parametrize(
    "frame",
    [b"not json", b"[]", b"{}", json.dumps({"seq": 0, "mac": "0" * 64, "body": "{}"}).encode()],
)
def test_garbage_is_forged(frame):
    with pytest.raises(Forged):
        Receiver(b"k" * 32).open(frame)


def test_a_genuine_frame_of_an_unknown_kind_is_forged():
    payload = json.dumps({"kind": "passed-everything"}).encode()
    frame = json.dumps({"seq": 0, "mac": sign(b"k" * 32, 0, payload), "body": payload.decode()}).encode()
    with pytest.raises(Forged):
        Receiver(b"k" * 32).open(frame)


def test_a_huge_message_is_cut_and_still_authentic(pipe):
    receiver, sender = pipe
    Sender(sender, b"k" * 32).send(
        Kind.CASE, question="q1", case="c", passed=False, message="x" * MAX_MESSAGE
    )
    frame = receiver.recv_bytes()
    assert len(frame) < MAX_MESSAGE
    assert Receiver(b"k" * 32).open(frame)["message"].endswith("\n[cut]")


def test_a_failure_reads_as_otter_writes_it_and_back():
    assert failed("AssertionError: 1 != 2") == FAILED + "AssertionError: 1 != 2"
    assert reason(failed("why")) == "why" and reason(PASSED) == PASSED
