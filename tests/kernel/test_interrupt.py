"""Interrupts in signal mode (SIGINT to the process group) and message mode (interrupt_request).

Each test starts its own kernel, because an interrupt that went wrong can leave a kernel
that later tests should not inherit.
"""

import time

import pytest

# `sleep 30` outlasts this reply timeout, so a reply within it proves the interrupt worked.
INTERRUPT_REPLY_TIMEOUT = 20


def wait_for_execute_input(client, msg_id, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        message = client.get_iopub_msg(timeout=max(deadline - time.monotonic(), 0.01))
        if (message["parent_header"].get("msg_id") == msg_id
                and message["msg_type"] == "execute_input"):
            return


def error_messages(iopub_messages):
    return [m for m in iopub_messages if m["msg_type"] == "error"]


def interrupt_sleep(running, interrupt, execute, await_reply):
    """Interrupt `sleep 30` with interrupt() and check the reply and the kept state."""
    client = running.client
    pid_before = running.manager.provisioner.process.pid
    before, _ = execute(client, "print before the interrupt")
    assert before["content"]["status"] == "ok"

    msg_id = client.execute("sleep 30")
    wait_for_execute_input(client, msg_id)
    # Give the kernel time to enter the command, so the interrupt stops a running sleep.
    time.sleep(0.5)
    interrupt()
    reply, iopub_messages = await_reply(client, msg_id, timeout=INTERRUPT_REPLY_TIMEOUT)

    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    errors = error_messages(iopub_messages)
    assert len(errors) == 1
    assert errors[0]["content"]["ename"] == "KeyboardInterrupt"

    after, iopub_after = execute(client, "print after the interrupt")
    assert after["content"]["status"] == "ok"
    assert after["content"]["execution_count"] > before["content"]["execution_count"]
    stdout = "".join(m["content"]["text"] for m in iopub_after if m["msg_type"] == "stream")
    assert stdout == "after the interrupt\n"
    assert running.manager.provisioner.process.pid == pid_before
    assert running.manager.is_alive()

    history_id = client.history(hist_access_type="tail", n=10, output=False, raw=True)
    history, _ = await_reply(client, history_id)
    inputs = [entry[2] for entry in history["content"]["history"]]
    assert "print before the interrupt" in inputs


def test_interrupt_signal_mode_stops_sleep(kernel_launcher, execute, await_reply):
    running = kernel_launcher()
    assert running.manager.kernel_spec.interrupt_mode == "signal"

    interrupt_sleep(running, running.manager.interrupt_kernel, execute, await_reply)


def test_interrupt_message_mode_stops_sleep(kernel_launcher, nnscope_kernelspec, execute,
                                            await_reply):
    running = kernel_launcher(nnscope_kernelspec.message_mode_name)
    assert running.manager.kernel_spec.interrupt_mode == "message"

    interrupt_sleep(running, running.manager.interrupt_kernel, execute, await_reply)


def test_interrupt_request_reply_on_control(kernel_launcher, nnscope_kernelspec, execute,
                                            await_reply):
    running = kernel_launcher(nnscope_kernelspec.message_mode_name)
    client = running.client

    msg_id = client.execute("sleep 30")
    wait_for_execute_input(client, msg_id)
    time.sleep(0.5)
    request = client.session.msg("interrupt_request", {})
    client.control_channel.send(request)
    interrupt_reply, _ = await_reply(client, request["header"]["msg_id"], channel="control")
    reply, _ = await_reply(client, msg_id, timeout=INTERRUPT_REPLY_TIMEOUT)

    assert interrupt_reply["msg_type"] == "interrupt_reply"
    assert interrupt_reply["content"]["status"] == "ok"
    assert reply["content"]["ename"] == "KeyboardInterrupt"


@pytest.mark.parametrize("mode", ["signal", "message"])
def test_interrupt_while_idle_harmless(kernel_launcher, nnscope_kernelspec, execute, mode):
    name = nnscope_kernelspec.name if mode == "signal" else nnscope_kernelspec.message_mode_name
    running = kernel_launcher(name)
    client = running.client
    before, _ = execute(client, "print before")

    running.manager.interrupt_kernel()
    # Let the signal or message arrive before the next request, so a flag left set by the
    # idle interrupt would stop the next command.
    time.sleep(1.0)
    reply, iopub_messages = execute(client, "sleep 1\nprint still running")

    assert reply["content"]["status"] == "ok"
    assert reply["content"]["execution_count"] == before["content"]["execution_count"] + 1
    assert error_messages(iopub_messages) == []
    stdout = "".join(m["content"]["text"] for m in iopub_messages if m["msg_type"] == "stream")
    assert stdout == "still running\n"
    assert running.manager.is_alive()
