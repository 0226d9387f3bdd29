#!/usr/bin/python3
"""Measure nnscope's startup time and execute round trip against Debian's ipykernel.

Usage: /usr/bin/python3 bench/kernel_latency.py [--nnscope PATH] [--launches N]
                                                 [--executes N] [--no-write]

Both kernels run on this machine in one run. Each is launched with subprocess from a
connection file this script writes (tcp on 127.0.0.1, hmac-sha256) and driven over raw
ZeroMQ sockets, because jupyter_client's wait_for_ready polls in 0.2 s steps and would
hide a fast start. Two measures:

startup     From just before the process is launched until a DEALER socket, connected
            beforehand with a 2 ms reconnect interval, receives the first
            kernel_info_reply. Median over --launches launches of each kernel, alternating
            nnscope and ipykernel so that load from other processes hits both alike.
round trip  From sending an execute_request until both its execute_reply (shell) and its
            idle status (iopub) have arrived. Median over --executes requests after 20
            warm-up requests, for a cell that prints one line and for an empty cell.

The results go to stdout and, unless --no-write, into docs/benchmarks.md between the
kernel-bench markers. Targets: nnscope's startup at most 1/20 of ipykernel's, its round
trip for the printing cell at most 1/3. Run it by hand on an otherwise idle machine; the
tests never run it.
"""

import argparse
import datetime
import hashlib
import hmac
import importlib.metadata
import json
import os
import pathlib
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid

import zmq

REPOSITORY = pathlib.Path(__file__).resolve().parent.parent
BENCHMARKS_PAGE = REPOSITORY / "docs" / "benchmarks.md"
START_MARKER = "<!-- kernel-bench:start -->"
END_MARKER = "<!-- kernel-bench:end -->"

DELIMITER = b"<IDS|MSG>"
RECONNECT_INTERVAL_MS = 2
STARTUP_TIMEOUT = 60
REPLY_TIMEOUT = 30
WARMUP_EXECUTES = 20

STARTUP_TARGET = 20
ROUND_TRIP_TARGET = 3


class Kernel:
    """One kind of kernel: how to launch it and which cells to time."""

    def __init__(self, name, argv_prefix, print_cell):
        self.name = name
        self.argv_prefix = argv_prefix
        self.print_cell = print_cell


class Connection:
    """A connection file on 127.0.0.1 with fresh ports and key, and the sockets to it."""

    def __init__(self, directory):
        self.key = uuid.uuid4().hex.encode("ascii")
        self.session = uuid.uuid4().hex
        self.ports = {name: free_port() for name in
                      ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")}
        self.path = pathlib.Path(directory) / f"kernel-{uuid.uuid4().hex}.json"
        info = {"transport": "tcp", "ip": "127.0.0.1", "key": self.key.decode("ascii"),
                "signature_scheme": "hmac-sha256", "kernel_name": "bench", **self.ports}
        self.path.write_text(json.dumps(info), encoding="utf-8")

        self.context = zmq.Context.instance()
        self.shell = self.connect(zmq.DEALER, "shell_port")
        self.control = self.connect(zmq.DEALER, "control_port")
        self.iopub = None

    def connect(self, socket_type, port_name):
        sock = self.context.socket(socket_type)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.RECONNECT_IVL, RECONNECT_INTERVAL_MS)
        sock.connect(f"tcp://127.0.0.1:{self.ports[port_name]}")
        return sock

    def sign(self, parts):
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode("ascii")

    def send(self, sock, msg_type, content):
        """Send a signed request on sock and return its msg_id."""
        header = {"msg_id": uuid.uuid4().hex, "session": self.session, "username": "bench",
                  "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                  "msg_type": msg_type, "version": "5.3"}
        parts = [json.dumps(header).encode(), b"{}", b"{}", json.dumps(content).encode()]
        sock.send_multipart([DELIMITER, self.sign(parts), *parts])
        return header["msg_id"]

    def execute(self, code):
        return self.send(self.shell, "execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})

    def close(self):
        for sock in (self.shell, self.control, self.iopub):
            if sock is not None:
                sock.close()
        self.path.unlink(missing_ok=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def parse(frames):
    """Return (msg_type, parent msg_id, content) of a wire message."""
    position = frames.index(DELIMITER)
    header, parent, _, content = (json.loads(part) for part in frames[position + 2:position + 6])
    return header["msg_type"], parent.get("msg_id"), content


def receive(sock, deadline):
    remaining_ms = int((deadline - time.perf_counter()) * 1000)
    if remaining_ms <= 0 or not sock.poll(remaining_ms):
        raise TimeoutError("timed out waiting for a message from the kernel")
    return sock.recv_multipart()


def launch(kernel, connection):
    return subprocess.Popen(
        [*kernel.argv_prefix, "-f", str(connection.path)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)


def stop(process, connection):
    """Send shutdown_request on control, and kill the process group if the kernel stays."""
    connection.send(connection.control, "shutdown_request", {"restart": False})
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for_kernel_info(connection, deadline):
    """Wait for any kernel_info_reply, sending a new request every 100 ms.

    The first request waits in the DEALER's queue until the connection succeeds. The
    repeats matter only for a kernel that drops requests arriving while it starts.
    """
    connection.send(connection.shell, "kernel_info_request", {})
    next_send = time.perf_counter() + 0.1
    while True:
        now = time.perf_counter()
        if now > deadline:
            raise TimeoutError(f"timed out after {STARTUP_TIMEOUT} s waiting for a "
                               "kernel_info_reply. Start the kernel by hand with -f "
                               "to see its error")
        if connection.shell.poll(max(1, int((min(next_send, deadline) - now) * 1000))):
            msg_type, _, content = parse(connection.shell.recv_multipart())
            if msg_type == "kernel_info_reply":
                return content
        elif time.perf_counter() >= next_send:
            connection.send(connection.shell, "kernel_info_request", {})
            next_send = time.perf_counter() + 0.1


def measure_startup(kernel, directory):
    """Return seconds from launch to the first kernel_info_reply, and that reply."""
    connection = Connection(directory)
    try:
        start = time.perf_counter()
        process = launch(kernel, connection)
        info = wait_for_kernel_info(connection, start + STARTUP_TIMEOUT)
        elapsed = time.perf_counter() - start
        stop(process, connection)
        return elapsed, info
    finally:
        connection.close()


def subscribe_iopub(connection):
    """Connect a SUB socket to iopub and wait until it delivers.

    A SUB socket receives only what is published after its subscription reaches the
    kernel, so kernel_info_requests are sent until one of their status messages arrives.
    """
    connection.iopub = connection.connect(zmq.SUB, "iopub_port")
    connection.iopub.setsockopt(zmq.SUBSCRIBE, b"")
    deadline = time.perf_counter() + STARTUP_TIMEOUT
    while time.perf_counter() < deadline:
        connection.send(connection.shell, "kernel_info_request", {})
        receive(connection.shell, deadline)
        if connection.iopub.poll(200):
            break
    else:
        raise TimeoutError("timed out waiting for the first message on the iopub SUB socket")
    # Discard what the probes published.
    while connection.iopub.poll(200):
        connection.iopub.recv_multipart()


def round_trip(connection, code):
    """Return seconds from sending an execute_request to having its reply and idle."""
    deadline = time.perf_counter() + REPLY_TIMEOUT
    start = time.perf_counter()
    msg_id = connection.execute(code)
    have_reply = have_idle = False
    poller = zmq.Poller()
    poller.register(connection.shell, zmq.POLLIN)
    poller.register(connection.iopub, zmq.POLLIN)
    while not (have_reply and have_idle):
        remaining_ms = int((deadline - time.perf_counter()) * 1000)
        if remaining_ms <= 0:
            raise TimeoutError(f"timed out after {REPLY_TIMEOUT} s waiting for the execute_reply "
                               f"and idle status of {code!r}")
        for sock, _ in poller.poll(remaining_ms):
            msg_type, parent, content = parse(sock.recv_multipart())
            if parent != msg_id:
                continue
            if msg_type == "execute_reply":
                if content["status"] != "ok":
                    raise RuntimeError(f"the benchmark cell {code!r} failed with status "
                                       f"{content['status']}: {content.get('evalue', '')}")
                have_reply = True
            elif msg_type == "status" and content["execution_state"] == "idle":
                have_idle = True
    return time.perf_counter() - start


def measure_round_trips(kernel, directory, executes):
    """Return {cell label: list of round-trip seconds} for one launched kernel."""
    connection = Connection(directory)
    process = launch(kernel, connection)
    try:
        wait_for_kernel_info(connection, time.perf_counter() + STARTUP_TIMEOUT)
        subscribe_iopub(connection)
        results = {}
        for label, code in (("print", kernel.print_cell), ("empty", "")):
            for _ in range(WARMUP_EXECUTES):
                round_trip(connection, code)
            results[label] = [round_trip(connection, code) for _ in range(executes)]
        stop(process, connection)
        return results
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        connection.close()


def describe_machine():
    cpu_model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    cpus = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    return f"{cpus} CPUs (`nproc`), {cpu_model}, Linux {platform.release()}"


def repository_commit():
    result = subprocess.run(["git", "-C", str(REPOSITORY), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def format_ms(seconds):
    milliseconds = seconds * 1000
    return f"{milliseconds:.2f} ms" if milliseconds < 10 else f"{milliseconds:.1f} ms"


def format_ratio(ours, theirs):
    return f"1/{theirs / ours:.1f}"


def build_section(startup, startup_info, trips, launches, executes):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    nnscope_info, ipykernel_info = startup_info["nnscope"], startup_info["ipykernel"]
    startup_median = {name: statistics.median(values) for name, values in startup.items()}
    trip_median = {name: {label: statistics.median(values) for label, values in cells.items()}
                   for name, cells in trips.items()}

    startup_ratio = startup_median["ipykernel"] / startup_median["nnscope"]
    trip_ratio = trip_median["ipykernel"]["print"] / trip_median["nnscope"]["print"]

    def met(ratio, target):
        return "yes" if ratio >= target else "no"

    rows = [
        ("Launch to first kernel_info_reply", f"median of {launches}",
         startup_median["nnscope"], startup_median["ipykernel"],
         f"at most 1/{STARTUP_TARGET}", met(startup_ratio, STARTUP_TARGET)),
        ("Execute round trip, one `print` line", f"median of {executes}",
         trip_median["nnscope"]["print"], trip_median["ipykernel"]["print"],
         f"at most 1/{ROUND_TRIP_TARGET}", met(trip_ratio, ROUND_TRIP_TARGET)),
        ("Execute round trip, empty cell", f"median of {executes}",
         trip_median["nnscope"]["empty"], trip_median["ipykernel"]["empty"], "none", "n/a"),
    ]
    heading = (
        f"Measured by `bench/kernel_latency.py` on {now}: {describe_machine()}, "
        f"Python {platform.python_version()}. "
        f"nnscope {nnscope_info.get('implementation_version', '?')} "
        f"(repository at commit {repository_commit()}) against "
        f"ipykernel {importlib.metadata.version('ipykernel')} with IPython "
        f"{ipykernel_info.get('implementation_version', '?')} (Debian's python3-ipykernel, "
        f"started as `/usr/bin/python3 -m ipykernel_launcher`).")
    lines = [
        textwrap.fill(heading, width=96),
        "",
        "| Measure | Samples | nnscope | ipykernel | nnscope / ipykernel | Target | Met |",
        "|---|---|---|---|---|---|---|",
    ]
    for measure, samples, ours, theirs, target, target_met in rows:
        lines.append(f"| {measure} | {samples} | {format_ms(ours)} | {format_ms(theirs)} | "
                     f"{format_ratio(ours, theirs)} | {target} | {target_met} |")
    method = (
        "Startup runs from just before `subprocess.Popen` until a DEALER socket, connected "
        f"beforehand with a {RECONNECT_INTERVAL_MS} ms reconnect interval, receives the "
        "reply; launches alternate between the two kernels. A round trip runs from sending "
        "an execute_request until both its execute_reply and its idle status have arrived, "
        f"after {WARMUP_EXECUTES} warm-up requests. The printing cell is `print ok` for "
        "nnscope and `print(\"ok\")` for ipykernel. Spread of the startup samples "
        f"(min to max): nnscope {format_ms(min(startup['nnscope']))} to "
        f"{format_ms(max(startup['nnscope']))}, ipykernel "
        f"{format_ms(min(startup['ipykernel']))} to {format_ms(max(startup['ipykernel']))}.")
    lines += ["", textwrap.fill(method, width=96)]
    return "\n".join(lines)


def write_section(section):
    page = BENCHMARKS_PAGE.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START_MARKER) + r".*?" + re.escape(END_MARKER), re.DOTALL)
    if not pattern.search(page):
        sys.exit(f"kernel_latency.py: {BENCHMARKS_PAGE} has no {START_MARKER} ... "
                 f"{END_MARKER} section; add the two markers and run again")
    replacement = f"{START_MARKER}\n{section}\n{END_MARKER}"
    BENCHMARKS_PAGE.write_text(pattern.sub(lambda _: replacement, page), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--nnscope", default=os.environ.get(
        "NNSCOPE_BIN", str(REPOSITORY / "kernel" / "nnscope")),
        help="kernel binary to measure (default: $NNSCOPE_BIN or kernel/nnscope); "
             "use a build without sanitizers")
    parser.add_argument("--launches", type=int, default=10,
                        help="launches of each kernel for the startup median (default 10)")
    parser.add_argument("--executes", type=int, default=200,
                        help="execute requests per cell for the round-trip median (default 200)")
    parser.add_argument("--no-write", action="store_true",
                        help="print the table without updating docs/benchmarks.md")
    arguments = parser.parse_args()

    if not os.access(arguments.nnscope, os.X_OK):
        sys.exit(f"kernel_latency.py: {arguments.nnscope} is not an executable file; "
                 "build it with `make -C kernel` or pass --nnscope PATH")
    kernels = {
        "nnscope": Kernel("nnscope", [os.path.abspath(arguments.nnscope)], "print ok"),
        "ipykernel": Kernel("ipykernel", ["/usr/bin/python3", "-m", "ipykernel_launcher"],
                            'print("ok")'),
    }

    startup = {name: [] for name in kernels}
    startup_info = {}
    with tempfile.TemporaryDirectory(prefix="kernel-bench-") as directory:
        for launch_number in range(arguments.launches):
            for name, kernel in kernels.items():
                elapsed, info = measure_startup(kernel, directory)
                startup[name].append(elapsed)
                startup_info[name] = info
                print(f"startup {name} #{launch_number + 1}: {format_ms(elapsed)}", flush=True)

        trips = {}
        for name, kernel in kernels.items():
            trips[name] = measure_round_trips(kernel, directory, arguments.executes)
            for label, values in trips[name].items():
                print(f"round trip {name} {label}: median {format_ms(statistics.median(values))}",
                      flush=True)

    section = build_section(startup, startup_info, trips, arguments.launches,
                            arguments.executes)
    print()
    print(section)
    if not arguments.no_write:
        write_section(section)
        print(f"\nwrote the kernel-bench section of {BENCHMARKS_PAGE}")


if __name__ == "__main__":
    main()
