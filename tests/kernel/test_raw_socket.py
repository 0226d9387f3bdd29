"""Message signing, framing and header fields, checked on raw ZeroMQ frames.

jupyter_client signs and parses messages itself and would hide mistakes in either
direction, so these tests build and read the wire frames with pyzmq and hmac:
[identities..., b"<IDS|MSG>", signature, header, parent_header, metadata, content].
"""

import hashlib
import hmac
import json
import os
import re
import signal
import socket
import subprocess
import time
import uuid
from datetime import datetime, timezone

import pytest
import zmq

DELIMITER = b"<IDS|MSG>"

# Seconds to wait for a reply that must never come. The tests send the bad message first
# and a good one right after. The kernel replies in request order, so a reply to the bad
# one would arrive first. This wait only catches a reply sent out of order.
SILENCE_WAIT = 1.0

REPLY_TIMEOUT = 30

DATE_PATTERN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|\+00:00)$")


class Signer:
    """Sign and parse Jupyter wire messages with one key and signature scheme."""

    def __init__(self, key, scheme="hmac-sha256"):
        self.key = key
        self.digest = scheme.split("-", 1)[1]
        self.session = str(uuid.uuid4())

    def sign(self, parts, key=None):
        key = self.key if key is None else key
        if not key:
            return b""
        mac = hmac.new(key, digestmod=getattr(hashlib, self.digest))
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode("ascii")

    def request(self, msg_type, content=None, identities=(), key=None):
        """Return (frames, header) of a new request signed with key (default: the right key)."""
        header = {
            "msg_id": str(uuid.uuid4()),
            "session": self.session,
            "username": "test",
            "date": datetime.now(timezone.utc).isoformat(),
            "msg_type": msg_type,
            "version": "5.3",
        }
        parts = [json.dumps(header).encode(), b"{}", b"{}",
                 json.dumps(content or {}).encode()]
        frames = [*identities, DELIMITER, self.sign(parts, key), *parts]
        return frames, header

    def parse(self, frames):
        """Split frames into identities and a message dict, asserting a correct signature."""
        position = frames.index(DELIMITER)
        identities = frames[:position]
        signature = frames[position + 1]
        parts = frames[position + 2:position + 6]
        assert len(parts) == 4, f"message has {len(parts)} of 4 JSON frames"
        assert hmac.compare_digest(signature, self.sign(parts)), "reply signature is wrong"
        header, parent, metadata, content = (json.loads(decode_utf8(p)) for p in parts)
        message = {"header": header, "parent_header": parent, "metadata": metadata,
                   "content": content, "msg_type": header["msg_type"]}
        return identities, message


def decode_utf8(frame):
    try:
        return frame.decode("utf-8")
    except UnicodeDecodeError as error:
        raise AssertionError(f"a frame sent by the kernel is not valid UTF-8 ({error}): "
                             f"{frame[:300]!r}") from None


def receive(sock, timeout):
    """Return the next multipart message on sock, or None after timeout seconds."""
    if sock.poll(int(timeout * 1000)):
        return sock.recv_multipart()
    return None


def receive_reply_to(sock, signer, msg_id, timeout=REPLY_TIMEOUT):
    """Return (identities, message) of the next reply, asserting that it replies to msg_id."""
    frames = receive(sock, timeout)
    assert frames is not None, f"no reply to request {msg_id} within {timeout} s"
    identities, message = signer.parse(frames)
    assert message["parent_header"].get("msg_id") == msg_id, (
        f"expected the reply to {msg_id}, got a {message['msg_type']} "
        f"to {message['parent_header'].get('msg_id')}")
    return identities, message


def connect(context, socket_type, port):
    sock = context.socket(socket_type)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(f"tcp://127.0.0.1:{port}")
    return sock


@pytest.fixture
def raw_shell(kernel):
    """A (DEALER socket on the module kernel's shell port, Signer) pair."""
    info = kernel.manager.get_connection_info()
    assert info["ip"] == "127.0.0.1"
    context = zmq.Context.instance()
    sock = connect(context, zmq.DEALER, info["shell_port"])
    yield sock, Signer(info["key"], info["signature_scheme"])
    sock.close()


@pytest.fixture
def raw_control(kernel):
    info = kernel.manager.get_connection_info()
    context = zmq.Context.instance()
    sock = connect(context, zmq.DEALER, info["control_port"])
    yield sock, Signer(info["key"], info["signature_scheme"])
    sock.close()


def assert_dropped(sock, signer, bad_frames):
    """Send bad_frames and then a good kernel_info_request.

    Asserts that only the good request gets a reply.
    """
    sock.send_multipart(bad_frames)
    good_frames, good_header = signer.request("kernel_info_request")
    sock.send_multipart(good_frames)

    _, reply = receive_reply_to(sock, signer, good_header["msg_id"])
    assert reply["msg_type"] == "kernel_info_reply"
    assert receive(sock, SILENCE_WAIT) is None, "the kernel answered the badly signed message"


def test_reply_header_fields(raw_shell):
    sock, signer = raw_shell
    frames, header = signer.request("kernel_info_request")
    sock.send_multipart(frames)

    _, reply = receive_reply_to(sock, signer, header["msg_id"])

    reply_header = reply["header"]
    assert uuid.UUID(reply_header["msg_id"])
    assert reply_header["msg_id"] != header["msg_id"]
    assert reply_header["msg_type"] == "kernel_info_reply"
    assert reply_header["version"] == "5.3"
    assert reply_header["session"]
    assert isinstance(reply_header["username"], str)
    assert DATE_PATTERN.match(reply_header["date"]), reply_header["date"]
    assert reply["parent_header"] == header


def test_reply_keeps_identities(raw_shell):
    sock, signer = raw_shell
    frames, header = signer.request("kernel_info_request", identities=[b"extra-identity"])
    sock.send_multipart(frames)

    identities, reply = receive_reply_to(sock, signer, header["msg_id"])

    assert identities == [b"extra-identity"]
    assert reply["msg_type"] == "kernel_info_reply"


def test_reply_msg_ids_unique(raw_shell):
    sock, signer = raw_shell
    msg_ids = set()
    for _ in range(20):
        frames, header = signer.request("kernel_info_request")
        sock.send_multipart(frames)
        _, reply = receive_reply_to(sock, signer, header["msg_id"])
        msg_ids.add(reply["header"]["msg_id"])

    assert len(msg_ids) == 20


def test_wrong_key_dropped(raw_shell):
    sock, signer = raw_shell
    bad_frames, _ = signer.request("kernel_info_request", key=b"not-the-kernel-key")

    assert_dropped(sock, signer, bad_frames)


def test_missing_signature_dropped(raw_shell):
    sock, signer = raw_shell
    bad_frames, _ = signer.request("kernel_info_request")
    bad_frames[bad_frames.index(DELIMITER) + 1] = b""

    assert_dropped(sock, signer, bad_frames)


def test_truncated_signature_dropped(raw_shell):
    sock, signer = raw_shell
    bad_frames, _ = signer.request("kernel_info_request")
    position = bad_frames.index(DELIMITER) + 1
    bad_frames[position] = bad_frames[position][:32]

    assert_dropped(sock, signer, bad_frames)


def test_tampered_content_dropped(raw_shell):
    sock, signer = raw_shell
    bad_frames, _ = signer.request("execute_request", {
        "code": "print signed text", "silent": False, "store_history": True,
        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    bad_frames[-1] = bad_frames[-1].replace(b"signed text", b"forged text")

    assert_dropped(sock, signer, bad_frames)


def test_replayed_message_dropped(raw_shell):
    sock, signer = raw_shell
    frames, header = signer.request("kernel_info_request")
    sock.send_multipart(frames)
    receive_reply_to(sock, signer, header["msg_id"])

    assert_dropped(sock, signer, frames)


def test_forged_shutdown_on_control_ignored(kernel, raw_control):
    sock, signer = raw_control
    bad_frames, _ = signer.request("shutdown_request", {"restart": False},
                                   key=b"not-the-kernel-key")

    assert_dropped(sock, signer, bad_frames)
    assert kernel.manager.is_alive()


@pytest.mark.parametrize("channel", ["shell", "control"])
def test_unknown_message_type_survived(kernel, raw_shell, raw_control, channel):
    sock, signer = raw_shell if channel == "shell" else raw_control
    unknown_frames, unknown_header = signer.request("no_such_request", {"value": 1})
    sock.send_multipart(unknown_frames)
    good_frames, good_header = signer.request("kernel_info_request")
    sock.send_multipart(good_frames)

    # The messaging spec leaves open whether an unknown type gets a reply. Only the next
    # request's reply is required, so a reply to the unknown request is skipped here.
    deadline = time.monotonic() + REPLY_TIMEOUT
    reply = None
    while reply is None and time.monotonic() < deadline:
        frames = receive(sock, deadline - time.monotonic())
        if frames is None:
            break
        _, message = signer.parse(frames)
        if message["parent_header"].get("msg_id") == good_header["msg_id"]:
            reply = message
        else:
            assert message["parent_header"].get("msg_id") == unknown_header["msg_id"]

    assert reply is not None, "no kernel_info_reply after an unknown message type"
    assert reply["msg_type"] == "kernel_info_reply"
    assert kernel.manager.is_alive()


@pytest.mark.parametrize("code", [
    b"print caf\xe9 au lait",
    b"print \xff\xfe broken",
    b"print caf\\udce9 lone surrogate",
])
def test_invalid_utf8_request_survived(kernel, raw_shell, code):
    sock, signer = raw_shell
    info = kernel.manager.get_connection_info()
    iopub = connect(zmq.Context.instance(), zmq.SUB, info["iopub_port"])
    iopub.setsockopt(zmq.SUBSCRIBE, b"")
    try:
        wait_for_subscription(sock, signer, iopub)

        # A signed request whose code string is not valid UTF-8 (raw bytes, or a JSON
        # escape of a lone surrogate). The kernel may reject it or repair the text.
        content = (b'{"code": "' + code + b'", "silent": false, "store_history": true, '
                   b'"user_expressions": {}, "allow_stdin": false, "stop_on_error": true}')
        header = {"msg_id": str(uuid.uuid4()), "session": signer.session, "username": "test",
                  "date": datetime.now(timezone.utc).isoformat(),
                  "msg_type": "execute_request", "version": "5.3"}
        parts = [json.dumps(header).encode(), b"{}", b"{}", content]
        sock.send_multipart([DELIMITER, signer.sign(parts), *parts])
        good_frames, good_header = signer.request("kernel_info_request")
        sock.send_multipart(good_frames)

        shell_frames = []
        while True:
            frames = receive(sock, REPLY_TIMEOUT)
            assert frames is not None, "no kernel_info_reply after an invalid UTF-8 request"
            shell_frames.append(frames)
            _, message = signer.parse(frames)
            if message["parent_header"].get("msg_id") == good_header["msg_id"]:
                break
        # The kernel handles requests in order, so everything published for the invalid
        # request has arrived once the kernel_info_request's idle status is in.
        iopub_frames = collect_until_idle(iopub, signer, good_header["msg_id"])
    finally:
        iopub.close()

    # Signer.parse has decoded every JSON frame of these messages as UTF-8.
    assert len(shell_frames) >= 1
    assert len(iopub_frames) >= 2
    assert kernel.manager.is_alive()


def wait_for_subscription(sock, signer, iopub):
    """Send kernel_info_requests until iopub delivers, because SUB connects asynchronously."""
    deadline = time.monotonic() + REPLY_TIMEOUT
    while time.monotonic() < deadline:
        frames, header = signer.request("kernel_info_request")
        sock.send_multipart(frames)
        receive_reply_to(sock, signer, header["msg_id"])
        if receive(iopub, 0.2) is not None:
            collect_until_idle(iopub, signer, header["msg_id"])
            return
    pytest.fail("the iopub SUB socket received nothing within 30 s")


def collect_until_idle(iopub, signer, msg_id):
    """Return the frames of every iopub message up to the idle status of msg_id."""
    collected = []
    while True:
        frames = receive(iopub, REPLY_TIMEOUT)
        assert frames is not None, f"no idle status for {msg_id} within {REPLY_TIMEOUT} s"
        collected.append(frames)
        _, message = signer.parse(frames)
        if (message["parent_header"].get("msg_id") == msg_id
                and message["msg_type"] == "status"
                and message["content"]["execution_state"] == "idle"):
            return collected


def test_heartbeat_echoes_during_sleep(kernel_launcher, await_reply):
    running = kernel_launcher()
    info = running.manager.get_connection_info()
    client = running.client
    msg_id = client.execute("sleep 30")
    while True:
        message = client.get_iopub_msg(timeout=30)
        if (message["parent_header"].get("msg_id") == msg_id
                and message["msg_type"] == "execute_input"):
            break

    heartbeat = connect(zmq.Context.instance(), zmq.REQ, info["hb_port"])
    try:
        heartbeat.send(b"ping while busy")
        echo = receive(heartbeat, 10.0)
    finally:
        heartbeat.close()
    running.manager.interrupt_kernel()
    reply, _ = await_reply(client, msg_id, timeout=20)

    assert echo == [b"ping while busy"]
    assert reply["content"]["ename"] == "KeyboardInterrupt"


def test_ipc_transport_kernel_info(nnscope_bin, tmp_path):
    # jupyter_client's ipc endpoints are ipc://IP-PORT, with IP a file path prefix.
    ip = str(tmp_path / "kernel-ipc")
    ports = {name: number for number, name in enumerate(
        ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"), start=1)}
    key = str(uuid.uuid4()).encode()
    connection = {"transport": "ipc", "ip": ip, "key": key.decode(),
                  "signature_scheme": "hmac-sha256", "kernel_name": "nnscope-test", **ports}
    connection_file = tmp_path / "connection.json"
    connection_file.write_text(json.dumps(connection), encoding="utf-8")
    signer = Signer(key)

    process = subprocess.Popen([str(nnscope_bin), "-f", str(connection_file)],
                               stdin=subprocess.DEVNULL, start_new_session=True)
    context = zmq.Context.instance()
    sockets = {}
    try:
        for name, socket_type in (("shell_port", zmq.DEALER), ("control_port", zmq.DEALER),
                                  ("hb_port", zmq.REQ)):
            sockets[name] = context.socket(socket_type)
            sockets[name].setsockopt(zmq.LINGER, 0)
            sockets[name].connect(f"ipc://{ip}-{ports[name]}")

        replies = {}
        for name in ("shell_port", "control_port"):
            frames, header = signer.request("kernel_info_request")
            sockets[name].send_multipart(frames)
            _, replies[name] = receive_reply_to(sockets[name], signer, header["msg_id"],
                                                timeout=60)
        sockets["hb_port"].send(b"ping over ipc")
        echo = receive(sockets["hb_port"], 30)

        assert replies["shell_port"]["msg_type"] == "kernel_info_reply"
        assert replies["control_port"]["msg_type"] == "kernel_info_reply"
        assert echo == [b"ping over ipc"]
    finally:
        for sock in sockets.values():
            sock.close()
        stop_process(process)


def stop_process(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("scheme,key", [
    ("hmac-sha1", b"a-sha1-key"),
    ("hmac-sha256", str(uuid.uuid4()).encode()),
    ("hmac-sha512", str(uuid.uuid4()).encode()),
    ("hmac-sha256", b""),
])
def test_signature_scheme_round_trip(nnscope_bin, tmp_path, scheme, key):
    ports = {name: free_port() for name in
             ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
    connection = {"transport": "tcp", "ip": "127.0.0.1", "key": key.decode(),
                  "signature_scheme": scheme, "kernel_name": "nnscope-test", **ports}
    connection_file = tmp_path / "connection.json"
    connection_file.write_text(json.dumps(connection), encoding="utf-8")
    signer = Signer(key, scheme)

    process = subprocess.Popen([str(nnscope_bin), "-f", str(connection_file)],
                               stdin=subprocess.DEVNULL, start_new_session=True)
    sock = connect(zmq.Context.instance(), zmq.DEALER, ports["shell_port"])
    try:
        frames, header = signer.request("kernel_info_request")
        sock.send_multipart(frames)
        frames = receive(sock, 60)
        assert frames is not None, f"no kernel_info_reply with {scheme} within 60 s"
        _, reply = signer.parse(frames)
        if not key:
            assert frames[frames.index(DELIMITER) + 1] == b""

        assert reply["msg_type"] == "kernel_info_reply"
        assert reply["parent_header"]["msg_id"] == header["msg_id"]
    finally:
        sock.close()
        stop_process(process)
