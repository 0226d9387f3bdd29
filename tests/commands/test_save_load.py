"""save and load through a real kernel."""
import pytest


def probabilities(run_ok, kernel, sample):
    return run_ok(kernel, f"predict sample={sample}").result["application/json"]["probabilities"]


def test_save_load_round_trip(kernel, run_ok, tmp_path):
    path = tmp_path / "digits.nns"
    run_ok(kernel, "build basic\ntrain epochs=1")
    before = probabilities(run_ok, kernel, 5)
    run_ok(kernel, f'save "{path}"\nbuild conv')
    loaded = run_ok(kernel, f'load "{path}"').result["application/json"]
    after = probabilities(run_ok, kernel, 5)

    assert loaded["model"] == "digits"
    assert loaded["total_params"] == 7850
    assert after == pytest.approx(before, abs=1e-6)


def test_load_damaged_file_keeps_model(kernel, run, run_ok, tmp_path):
    path = tmp_path / "damaged.nns"
    path.write_bytes(b"\x00" * 300)
    run_ok(kernel, "build conv name=kept")
    cell = run(kernel, f'load "{path}"')
    summary = run_ok(kernel, "summary").result["application/json"]

    assert cell.reply["ename"] == "DataError"
    assert summary["model"] == "kept"


def test_save_to_missing_directory(kernel, run, run_ok):
    run_ok(kernel, "build basic")
    cell = run(kernel, "save /nonexistent/dir/model.nns")

    assert cell.reply["ename"] == "DataError"
    assert "/nonexistent/dir" in cell.reply["evalue"]


def test_save_without_model(kernel_launcher, run):
    cell = run(kernel_launcher(), "save model.nns")

    assert cell.reply["ename"] == "ModelError"
