"""data, samples and set through a real kernel."""
import re

import pytest

from conftest import data_dir, png_size
from digit_pngs import mnist_test_set, write_idx


def test_data_table_counts(kernel, run_ok):
    cell = run_ok(kernel, "data")
    result = cell.result
    info = result["application/json"]

    assert info["dataset"] == "mnist"
    assert info["n_train"] == 8000
    assert info["n_test"] == 2000
    assert sum(c["train"] for c in info["classes"]) == info["n_train"]
    assert sum(c["test"] for c in info["classes"]) == info["n_test"]
    assert "<table>" in result["text/html"]
    assert "<th>Train</th>" in result["text/html"]
    # Notebook wraps a caption at the table's width, and this table is three numbers wide.
    assert "<caption>Dataset mnist</caption>" in result["text/html"]
    assert re.search(r"^Total\s+8,000\s+2,000$", result["text/plain"], re.M)
    assert re.search(r"^\s+1\s+\d{3}\s+\d{3}$", result["text/plain"], re.M)
    assert "Class</p></th>" not in result["text/html"]


def test_data_shows_twelve_samples(kernel, run_ok):
    cell = run_ok(kernel, "data")
    pictures = [b for b in cell.bundles if "image/png" in b]

    assert len(pictures) == 1
    width, height = png_size(pictures[0]["image/png"])
    assert 400 <= width <= 1000
    assert 60 <= height <= 600
    assert len(pictures[0]["application/json"]["labels"]) == 12
    assert pictures[0]["text/plain"].startswith("12 random training images")


def test_data_sets_sizes(kernel, run_ok):
    run_ok(kernel, "data train=1000 test=200")
    settings = run_ok(kernel, "set").result["application/json"]
    run_ok(kernel, "set train=5500 test=1000")

    assert settings["train"] == 1000
    assert settings["test"] == 200


def test_data_missing_directory(kernel, run):
    cell = run(kernel, "data /nonexistent/digits")

    assert cell.reply["ename"] == "DataError"
    assert "/nonexistent/digits" in cell.reply["evalue"]


def test_data_misspelled_name_lists_datasets(kernel, run):
    cell = run(kernel, "data fasion")

    assert cell.reply["ename"] == "DataError"
    assert "'fasion'" in cell.reply["evalue"]
    assert "data fashion" in cell.reply["evalue"]


def test_data_existing_directory_without_idx(kernel, run, tmp_path):
    cell = run(kernel, f"data {tmp_path}")

    assert cell.reply["ename"] == "DataError"
    assert "train-images-idx3-ubyte" in cell.reply["evalue"]


def test_data_fashion_class_names(kernel, run_ok):
    cell = run_ok(kernel, "data fashion", timeout=120)
    info = cell.result["application/json"]
    run_ok(kernel, "data mnist")

    assert info["n_train"] == 60000
    assert info["classes"][0]["class"] == "T-shirt/top"
    assert "<th><p>Class</p></th>" in cell.result["text/html"]
    assert "Ankle boot" in cell.result["text/plain"]


def test_samples_label_filter(kernel, run_ok):
    bundle = run_ok(kernel, "samples 8 label=3").result
    info = bundle["application/json"]

    assert info["labels"] == [3] * 8
    assert len(set(info["indices"])) == 8
    width, height = png_size(bundle["image/png"])
    assert width > 300
    assert height > 60


def test_samples_from_test_set(kernel, run_ok):
    info = run_ok(kernel, "samples 5 from=test").result["application/json"]

    assert info["from"] == "test"
    assert all(0 <= i < 2000 for i in info["indices"])


def test_samples_change_between_calls(kernel, run_ok):
    first = run_ok(kernel, "samples 12").result["application/json"]["indices"]
    second = run_ok(kernel, "samples 12").result["application/json"]["indices"]

    assert first != second


def test_samples_invalid_count(kernel, run):
    cell = run(kernel, "samples 0")

    assert cell.reply["ename"] == "OptionError"
    assert "1 to 100" in cell.reply["evalue"]


def test_set_shows_defaults(kernel, run_ok):
    result = run_ok(kernel, "set").result
    info = result["application/json"]

    assert info["lr"] == 0.01
    assert info["epochs"] == 5
    assert info["batch"] == 512
    assert info["val"] == 500
    assert info["optimizer"] == "adam"
    assert "<th><p>Setting</p></th>" in result["text/html"]
    assert "<td><p>learning rate</p></td>" in result["text/html"]
    assert re.search(r"^batch\s+512\s", result["text/plain"], re.M)


def test_set_warns_on_high_lr(kernel, run_ok):
    cell = run_ok(kernel, "set lr=5")
    run_ok(kernel, "set lr=0.01")

    assert "warning: lr=5" in cell.stream("stderr")
    assert cell.result["application/json"]["lr"] == 5


def test_set_negative_lr(kernel, run):
    cell = run(kernel, "set lr=-0.1")

    assert cell.reply["ename"] == "OptionError"
    assert "lr=-0.1" in cell.reply["evalue"]
    assert "greater than 0" in cell.reply["evalue"]


def test_set_lr_not_a_number(kernel, run, run_ok):
    cell = run(kernel, "set lr=abc")
    suggested = re.search(r"e\.g\. (lr=\S+)", cell.reply["evalue"])

    assert cell.reply["ename"] == "OptionError"
    assert "greater than 0" in cell.reply["evalue"]
    assert "1e+300" not in cell.reply["evalue"]
    assert suggested, cell.reply["evalue"]
    run_ok(kernel, f"set {suggested.group(1)}")
    run_ok(kernel, "set lr=0.01")


@pytest.mark.parametrize("key", ["lr", "epochs", "batch", "train", "test", "val", "seed",
                                 "threads"])
@pytest.mark.parametrize("value", ["abc", "-5"])
def test_set_hint_is_valid(kernel, run, run_ok, key, value):
    cell = run(kernel, f"set {key}={value}")
    example = re.search(rf"e\.g\. ({key}=\S+)", cell.reply["evalue"])

    assert cell.reply["ename"] == "OptionError"
    assert example, cell.reply["evalue"]
    run_ok(kernel, f"set {example.group(1)}")
    run_ok(kernel, "set lr=0.01 epochs=5 batch=512 train=5500 test=1000 val=500 seed=42 "
                   "threads=0")


def test_set_batch_larger_than_train(kernel, run):
    cell = run(kernel, "set batch=6000")

    assert cell.reply["ename"] == "OptionError"
    assert "batch=6000" in cell.reply["evalue"]
    assert "train=5500" in cell.reply["evalue"]


def test_set_train_zero(kernel, run):
    cell = run(kernel, "set train=0")

    assert cell.reply["ename"] == "OptionError"
    assert "train" in cell.reply["evalue"]


def test_set_unknown_option_suggests(kernel, run):
    cell = run(kernel, "set epoch=3")

    assert cell.reply["ename"] == "OptionError"
    assert "epochs" in cell.reply["evalue"]


def test_set_failure_keeps_settings(kernel, run, run_ok):
    run(kernel, "set epochs=7 lr=-1")
    info = run_ok(kernel, "set").result["application/json"]

    assert info["epochs"] == 5


def test_data_directory_fits_settings(kernel, run, run_ok, tmp_path):
    images, labels = mnist_test_set(data_dir())
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images[:300])
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", labels[:300])
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images[300:350])
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", labels[300:350])

    cell = run(kernel, f'data "{tmp_path}"')
    settings = run_ok(kernel, "set").result["application/json"]
    run_ok(kernel, "data mnist\nset train=5500 val=500 test=1000 batch=512")

    assert cell.ok
    assert cell.result["application/json"]["n_train"] == 300
    assert "warning: train lowered" in cell.stream("stderr")
    assert settings["train"] + settings["val"] <= 300
    assert settings["test"] == 50
    assert settings["batch"] <= settings["train"]


def test_first_command_loads_mnist(kernel_launcher, run_ok):
    cell = run_ok(kernel_launcher(), "samples 3")

    assert "Loaded mnist: 8,000 training and 2,000 test images" in cell.stream("stdout")
