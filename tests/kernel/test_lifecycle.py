"""Shutdown, restart and SIGTERM, each on a kernel of its own."""

import os
import signal
import time

# Seconds a kernel may take to exit after a shutdown_request or SIGTERM. jupyter_client
# itself waits 5 s before it kills a kernel; this is more generous for sanitizer builds.
EXIT_TIMEOUT = 15


def test_shutdown_request_reply_and_exit(kernel_launcher, await_reply):
    running = kernel_launcher()
    process = running.manager.provisioner.process

    msg_id = running.client.shutdown(restart=False)
    reply, _ = await_reply(running.client, msg_id, channel="control")

    assert reply["msg_type"] == "shutdown_reply"
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["restart"] is False
    assert process.wait(timeout=EXIT_TIMEOUT) == 0


def test_shutdown_request_restart_flag(kernel_launcher, await_reply):
    running = kernel_launcher()
    process = running.manager.provisioner.process

    msg_id = running.client.shutdown(restart=True)
    reply, _ = await_reply(running.client, msg_id, channel="control")

    assert reply["content"]["status"] == "ok"
    assert reply["content"]["restart"] is True
    assert process.wait(timeout=EXIT_TIMEOUT) == 0


def test_restart_kernel_fresh_state(kernel_launcher, execute):
    running = kernel_launcher()
    client = running.client
    execute(client, "print first session")
    second, _ = execute(client, "print first session again")
    assert second["content"]["execution_count"] == 2
    old_process = running.manager.provisioner.process

    running.manager.restart_kernel(now=False)
    client.wait_for_ready(timeout=60)
    reply, iopub_messages = execute(client, "print after restart")

    assert old_process.returncode == 0
    assert running.manager.provisioner.process.pid != old_process.pid
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["execution_count"] == 1
    stdout = "".join(m["content"]["text"] for m in iopub_messages if m["msg_type"] == "stream")
    assert stdout == "after restart\n"


def test_shutdown_kernel_exits_cleanly(kernel_launcher):
    running = kernel_launcher()
    process = running.manager.provisioner.process

    running.client.stop_channels()
    running.manager.shutdown_kernel(now=False)

    assert not running.manager.is_alive()
    # jupyter_client kills a kernel that has not exited on its own, which gives -SIGKILL.
    assert process.returncode == 0


def test_sigterm_exits_cleanly(kernel_launcher, execute):
    running = kernel_launcher()
    execute(running.client, "print before SIGTERM")
    process = running.manager.provisioner.process

    os.kill(process.pid, signal.SIGTERM)

    assert process.wait(timeout=EXIT_TIMEOUT) == 0


def test_sigterm_during_sleep_exits(kernel_launcher):
    running = kernel_launcher()
    process = running.manager.provisioner.process
    msg_id = running.client.execute("sleep 30")

    # A command in progress must not hold up the exit for the rest of its 30 s.
    while True:
        message = running.client.get_iopub_msg(timeout=30)
        if (message["parent_header"].get("msg_id") == msg_id
                and message["msg_type"] == "execute_input"):
            break
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGTERM)

    assert process.wait(timeout=EXIT_TIMEOUT) == 0


def test_shutdown_request_during_sleep(kernel_launcher, await_reply):
    running = kernel_launcher()
    client = running.client
    process = running.manager.provisioner.process
    msg_id = client.execute("sleep 30")
    while True:
        message = client.get_iopub_msg(timeout=30)
        if (message["parent_header"].get("msg_id") == msg_id
                and message["msg_type"] == "execute_input"):
            break

    # control is served while shell runs a command, so the reply must not wait for the sleep.
    shutdown_id = client.shutdown(restart=False)
    reply, _ = await_reply(client, shutdown_id, channel="control", timeout=EXIT_TIMEOUT)

    assert reply["content"]["status"] == "ok"
    assert process.wait(timeout=EXIT_TIMEOUT) == 0
