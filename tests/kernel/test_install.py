"""The nnscope command line: `install` writes a kernelspec that jupyter_client finds and
launches; --version and --help print and exit."""

import json
import os
import re
import struct
import subprocess

from jupyter_client.kernelspec import KernelSpecManager

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def read_png_size(path):
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG file"
    # The IHDR chunk comes first: length, type, then width and height as big-endian uint32.
    assert data[12:16] == b"IHDR", f"{path} does not start with an IHDR chunk"
    return struct.unpack(">II", data[16:24])


def test_install_kernel_json_fields(nnscope_kernelspec, nnscope_bin):
    spec_dir = nnscope_kernelspec.prefix / "share" / "jupyter" / "kernels" / nnscope_kernelspec.name
    spec = json.loads((spec_dir / "kernel.json").read_text(encoding="utf-8"))

    assert spec["argv"][0] == str(nnscope_bin)
    assert "-f" in spec["argv"]
    assert "{connection_file}" in spec["argv"]
    assert spec["language"] == "nnscope"
    assert spec["display_name"]
    assert spec["interrupt_mode"] == "signal"


def test_install_interrupt_mode_message(nnscope_kernelspec):
    name = nnscope_kernelspec.message_mode_name
    spec_dir = nnscope_kernelspec.prefix / "share" / "jupyter" / "kernels" / name
    spec = json.loads((spec_dir / "kernel.json").read_text(encoding="utf-8"))

    assert spec["interrupt_mode"] == "message"


def test_install_default_interrupt_mode_signal(nnscope_bin, tmp_path):
    command = [str(nnscope_bin), "install", "--prefix", str(tmp_path), "--name", "plain"]
    subprocess.run(command, check=True, capture_output=True, timeout=60)

    spec_path = tmp_path / "share" / "jupyter" / "kernels" / "plain" / "kernel.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    assert spec["interrupt_mode"] == "signal"


def test_install_logo_sizes(nnscope_kernelspec):
    spec_dir = nnscope_kernelspec.prefix / "share" / "jupyter" / "kernels" / nnscope_kernelspec.name

    assert read_png_size(spec_dir / "logo-32x32.png") == (32, 32)
    assert read_png_size(spec_dir / "logo-64x64.png") == (64, 64)


def test_install_found_by_kernelspec_manager(nnscope_kernelspec):
    spec = KernelSpecManager().get_kernel_spec(nnscope_kernelspec.name)

    assert spec.language == "nnscope"
    assert spec.interrupt_mode == "signal"


def test_install_rejects_unknown_interrupt_mode(nnscope_bin, tmp_path):
    command = [str(nnscope_bin), "install", "--prefix", str(tmp_path), "--name", "bad",
               "--interrupt-mode", "telepathy"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)

    assert result.returncode != 0
    assert "telepathy" in result.stderr
    assert not (tmp_path / "share" / "jupyter" / "kernels" / "bad" / "kernel.json").exists()


def test_version_option_prints_version(nnscope_bin):
    result = subprocess.run([str(nnscope_bin), "--version"], capture_output=True, text=True,
                            timeout=60)

    assert result.returncode == 0
    assert "nnscope" in result.stdout
    assert re.search(r"\d+\.\d+", result.stdout), result.stdout


def test_help_option_prints_usage(nnscope_bin):
    result = subprocess.run([str(nnscope_bin), "--help"], capture_output=True, text=True,
                            timeout=60)

    assert result.returncode == 0
    assert "install" in result.stdout
    assert "-f" in result.stdout


def test_unknown_option_fails(nnscope_bin):
    result = subprocess.run([str(nnscope_bin), "--no-such-option"], capture_output=True,
                            text=True, timeout=60)

    assert result.returncode != 0
    assert "--no-such-option" in result.stderr


def test_install_user_writes_home(nnscope_bin, tmp_path):
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("XDG_DATA_HOME", "JUPYTER_DATA_DIR")}
    environment["HOME"] = str(tmp_path)
    command = [str(nnscope_bin), "install", "--user", "--name", "user-test"]
    subprocess.run(command, check=True, capture_output=True, env=environment, timeout=60)

    spec_path = tmp_path / ".local" / "share" / "jupyter" / "kernels" / "user-test" / "kernel.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    assert spec["argv"][0] == str(nnscope_bin)
