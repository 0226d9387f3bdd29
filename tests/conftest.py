"""Shared pytest fixtures that run the nnscope kernel through real Jupyter clients.

Run the Python tests with Debian's interpreter, which has jupyter_client 7.4:

    /usr/bin/python3 -m pytest tests

The kernel binary is $NNSCOPE_BIN, by default <repo>/kernel/nnscope (build it with
`make -C kernel`). Nothing is installed outside pytest's temporary directory.

Fixtures:

nnscope_bin (session)
    pathlib.Path of the kernel binary; fails every test that uses it when the file is missing.
nnscope_kernelspec (session)
    Runs `nnscope install --prefix TMP --name nnscope-test` and, for message-mode
    interrupts, `--name nnscope-test-message --interrupt-mode message`. It points
    JUPYTER_PATH at TMP/share/jupyter (so KernelManager, nbconvert and jupyter-console find
    both names) and JUPYTER_RUNTIME_DIR, JUPYTER_CONFIG_DIR and IPYTHONDIR at empty temporary
    directories for the rest of the session. Returns a KernelSpecs with .name,
    .message_mode_name and .prefix.
kernel (module)
    A RunningKernel (.manager: KernelManager, .client: started BlockingKernelClient) of
    kernelspec nnscope-test, shared by the tests of one module and shut down after them.
    Tests that kill, restart or interrupt a kernel should start their own with
    kernel_launcher instead.
kernel_launcher (function)
    A function launch(kernel_name=None) -> RunningKernel that starts a fresh kernel
    (default nnscope-test) and shuts it down when the test ends.
execute (session)
    The function execute_cell(client, code, timeout=30, **execute_options) below.
await_reply (session)
    The function await_reply(client, msg_id, channel="shell", timeout=30) below.

Markers: a module or class marked with @pytest.mark.fail_on_skip has every skip reported
as a failure, for suites such as jupyter_kernel_test that skip what is not configured.
"""

import os
import pathlib
import subprocess
import time
from dataclasses import dataclass
from queue import Empty

import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

REPOSITORY = pathlib.Path(__file__).resolve().parent.parent

KERNEL_NAME = "nnscope-test"
MESSAGE_MODE_KERNEL_NAME = "nnscope-test-message"

# Seconds to wait for a kernel's first kernel_info_reply. Generous because a sanitizer
# build on a busy two-core machine starts far slower than a normal one.
STARTUP_TIMEOUT = 60


@dataclass
class KernelSpecs:
    prefix: pathlib.Path
    name: str
    message_mode_name: str


@dataclass
class RunningKernel:
    manager: KernelManager
    client: BlockingKernelClient


# Seconds a dead kernel's last messages may still take to reach the client's queues. After
# that, await_reply reports the exit instead of waiting for its full timeout.
EXIT_GRACE = 2.0


class KernelDiedError(RuntimeError):
    """The kernel process exited while a test waited for one of its messages."""


def _kernel_exit_status(client):
    """Return the kernel's exit status, or None while it runs or without a KernelManager."""
    manager = getattr(client, "parent", None)
    if not isinstance(manager, KernelManager) or not manager.has_kernel:
        return None
    return manager.provisioner.process.poll()


def _get_message(client, channel, msg_id, deadline, what):
    """Return the next message on channel, polling in short steps to notice a dead kernel."""
    if channel == "shell":
        get = client.get_shell_msg
    elif channel == "control":
        get = client.get_control_msg
    elif channel == "iopub":
        get = client.get_iopub_msg
    else:
        raise ValueError(f"unknown channel {channel!r}: use shell, control or iopub")

    died_at = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"timed out waiting for {what} of request {msg_id}")
        try:
            return get(timeout=min(remaining, 0.5))
        except Empty:
            pass
        status = _kernel_exit_status(client)
        if status is None:
            continue
        if died_at is None:
            died_at = time.monotonic()
        elif time.monotonic() - died_at > EXIT_GRACE:
            raise KernelDiedError(f"the kernel exited with status {status} while the test "
                                  f"waited for {what} of request {msg_id}")


def await_reply(client, msg_id, channel="shell", timeout=30):
    """Wait for the reply to request msg_id and for the kernel's idle status after it.

    Returns (reply, iopub_messages): iopub_messages lists, in arrival order, every iopub
    message whose parent is msg_id, from the busy status through the idle status. Replies
    and iopub messages of other requests are discarded. Raises TimeoutError naming the
    request and what was missing when the reply or the idle status does not arrive within
    timeout seconds, and KernelDiedError soon after the kernel process exits.
    """
    deadline = time.monotonic() + timeout

    reply = None
    while reply is None:
        message = _get_message(client, channel, msg_id, deadline, f"the {channel} reply")
        if message["parent_header"].get("msg_id") == msg_id:
            reply = message

    iopub_messages = []
    while True:
        types = [m["msg_type"] for m in iopub_messages]
        what = f"the idle status (iopub messages so far: {types})"
        message = _get_message(client, "iopub", msg_id, deadline, what)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        iopub_messages.append(message)
        if (message["msg_type"] == "status"
                and message["content"]["execution_state"] == "idle"):
            return reply, iopub_messages


def execute_cell(client, code, timeout=30, **execute_options):
    """Send an execute_request and wait for its execute_reply and its idle status.

    execute_options are passed to BlockingKernelClient.execute (silent, store_history,
    stop_on_error, user_expressions, allow_stdin). Returns (reply, iopub_messages) as
    await_reply does. The outputs are the iopub messages other than status and
    execute_input.
    """
    msg_id = client.execute(code, **execute_options)
    return await_reply(client, msg_id, "shell", timeout)


def start_kernel(kernel_name):
    """Start a kernel by kernelspec name and return a RunningKernel whose client is ready."""
    manager = KernelManager(kernel_name=kernel_name)
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=STARTUP_TIMEOUT)
    except RuntimeError:
        stop_kernel(RunningKernel(manager, client))
        raise
    return RunningKernel(manager, client)


def stop_kernel(running):
    """Stop the client's channels and shut the kernel down, killing it if it hangs."""
    running.client.stop_channels()
    if running.manager.has_kernel:
        running.manager.shutdown_kernel(now=False)


@pytest.fixture(scope="session")
def nnscope_bin():
    path = pathlib.Path(os.environ.get("NNSCOPE_BIN", REPOSITORY / "kernel" / "nnscope"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"kernel binary {path} not found or not executable: "
                    f"build it with `make -C kernel` or set NNSCOPE_BIN")
    return path.resolve()


@pytest.fixture(scope="session")
def nnscope_kernelspec(nnscope_bin, tmp_path_factory):
    prefix = tmp_path_factory.mktemp("prefix")
    for name, mode in ((KERNEL_NAME, "signal"), (MESSAGE_MODE_KERNEL_NAME, "message")):
        command = [str(nnscope_bin), "install", "--prefix", str(prefix), "--name", name,
                   "--interrupt-mode", mode]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed with exit status "
                        f"{result.returncode}:\n{result.stdout}{result.stderr}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
        patch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path_factory.mktemp("runtime")))
        patch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
        patch.setenv("IPYTHONDIR", str(tmp_path_factory.mktemp("ipython")))
        yield KernelSpecs(prefix, KERNEL_NAME, MESSAGE_MODE_KERNEL_NAME)


@pytest.fixture(scope="module")
def kernel(nnscope_kernelspec):
    running = start_kernel(nnscope_kernelspec.name)
    yield running
    stop_kernel(running)


@pytest.fixture
def kernel_launcher(nnscope_kernelspec):
    started = []

    def launch(kernel_name=None):
        running = start_kernel(kernel_name or nnscope_kernelspec.name)
        started.append(running)
        return running

    yield launch
    for running in started:
        stop_kernel(running)


@pytest.fixture(scope="session")
def execute():
    return execute_cell


@pytest.fixture(scope="session", name="await_reply")
def await_reply_fixture():
    return await_reply


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("fail_on_skip") is not None:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped, but every test here must run: {reason}"
