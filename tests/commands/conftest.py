"""Helpers for the model-command tests: run a cell and pick its outputs apart.

The kernel fixtures (kernel, kernel_launcher, execute) come from tests/conftest.py.
"""
import base64
import os
import pathlib
import struct

import pytest

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
# The tree `make` ran in: the repository itself, or a separate build directory such as
# build/ that scripts/test-all.sh names here.
BUILD_DIR = pathlib.Path(os.environ.get("NNSCOPE_BUILD_DIR", REPOSITORY))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def data_dir():
    """The kernel's data directory as the tests' kernels see it."""
    return os.environ.get("NNSCOPE_DATA_DIR", str(BUILD_DIR / "data"))


class Cell:
    """The reply and iopub messages of one execute_request."""

    def __init__(self, reply, messages):
        self.reply = reply["content"]
        self.messages = messages
        self.outputs = [m for m in messages
                        if m["msg_type"] not in ("status", "execute_input")]

    @property
    def ok(self):
        return self.reply["status"] == "ok"

    def of_type(self, *types):
        return [m for m in self.outputs if m["msg_type"] in types]

    @property
    def bundles(self):
        """Data of display_data and execute_result messages, in order."""
        return [m["content"]["data"] for m in self.of_type("display_data", "execute_result")]

    @property
    def result(self):
        results = self.of_type("execute_result")
        assert len(results) == 1, f"expected one execute_result, got {len(results)}"
        return results[0]["content"]["data"]

    def stream(self, name):
        return "".join(m["content"]["text"] for m in self.of_type("stream")
                       if m["content"]["name"] == name)

    @property
    def error(self):
        errors = self.of_type("error")
        assert len(errors) == 1, f"expected one error output, got {[m['msg_type'] for m in self.outputs]}"
        return errors[0]["content"]


def png_size(encoded):
    """Decode a base64 image/png value; check the signature and return (width, height)."""
    data = base64.b64decode(encoded)
    assert data[:8] == PNG_SIGNATURE, "image/png does not start with the PNG signature"
    assert data[12:16] == b"IHDR", "the first PNG chunk is not IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="session")
def run(execute):
    """run(kernel, code, timeout=60) -> Cell.

    Cells run with stop_on_error=False: these tests fail cells on purpose, and the next
    request of a test may reach the kernel while it still aborts the queue after the error.
    """
    def run_cell(running, code, timeout=60, **options):
        options.setdefault("stop_on_error", False)
        reply, messages = execute(running.client, code, timeout=timeout, **options)
        return Cell(reply, messages)
    return run_cell


@pytest.fixture(scope="session")
def run_ok(run):
    """Like run, but fails the test with the kernel's error when the cell fails."""
    def run_cell(running, code, timeout=60, **options):
        cell = run(running, code, timeout=timeout, **options)
        assert cell.ok, (f"cell {code!r} failed: {cell.reply.get('ename')}: "
                         f"{cell.reply.get('evalue')}")
        return cell
    return run_cell
