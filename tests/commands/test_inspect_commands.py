"""show weights, show activations and predict through a real kernel."""
import pytest

from conftest import data_dir, png_size
from digit_pngs import colourise, enlarge, grey, mnist_test_set, place, write_png


def test_show_weights_basic(kernel, run_ok):
    run_ok(kernel, "build basic")
    result = run_ok(kernel, "show weights").result

    assert "10 images of 28x28" in result["text/plain"]
    assert result["application/json"]["weight"] == "dense_Dense1/kernel"
    width, height = png_size(result["image/png"])
    assert width >= 500
    assert height >= 100


def test_show_weights_conv_later_layer(kernel, run_ok):
    run_ok(kernel, "build conv")
    result = run_ok(kernel, "show weights conv2d_Conv2D2").result

    assert "16 filters of 5x5 for each of 8 input channels" in result["text/plain"]


def test_show_weights_dense_later_layer(kernel, run_ok):
    run_ok(kernel, "build mlp hidden=32")
    result = run_ok(kernel, "show weights dense_Dense2").result

    assert "heatmap of the 32x10 kernel" in result["text/plain"]
    png_size(result["image/png"])


def test_show_weights_pooling_layer(kernel, run):
    run(kernel, "build conv")
    cell = run(kernel, "show weights max_pooling2d_MaxPooling2D1")

    assert cell.reply["ename"] == "ModelError"
    assert "no weights" in cell.reply["evalue"]


def test_show_activations_conv(kernel, run_ok):
    run_ok(kernel, "build conv")
    result = run_ok(kernel, "show activations sample=4").result
    layers = [layer["name"] for layer in result["application/json"]["layers"]]

    assert "conv2d_Conv2D1 [24,24,8]: 8 feature maps" in result["text/plain"]
    assert "max_pooling2d_MaxPooling2D2" in layers
    width, height = png_size(result["image/png"])
    assert height > width


def test_predict_sample(kernel, run_ok):
    run_ok(kernel, "build basic\ntrain epochs=2")
    result = run_ok(kernel, "predict sample=7").result
    info = result["application/json"]

    assert len(info["probabilities"]) == 10
    assert sum(info["probabilities"]) == pytest.approx(1, abs=1e-4)
    assert info["probability"] == max(info["probabilities"])
    assert info["sample"] == 7
    assert result["text/plain"].startswith(f"Predicted {info['predicted']} with probability")
    width, height = png_size(result["image/png"])
    assert width >= 400
    assert height >= 400


def test_predict_needs_input(kernel, run):
    run(kernel, "build basic")
    cell = run(kernel, "predict")

    assert cell.reply["ename"] == "OptionError"
    assert "sample=N" in cell.reply["evalue"]


def test_predict_file_blank(kernel, run, tmp_path):
    path = tmp_path / "blank.png"
    write_png(path, grey(enlarge(0 * mnist_test_set(data_dir())[0][0] / 255.0, 4), True))
    run(kernel, "build basic")
    cell = run(kernel, f'predict file="{path}"')

    assert cell.reply["ename"] == "DataError"
    assert "no digit" in cell.reply["evalue"]


def test_predict_file_not_png(kernel, run, tmp_path):
    path = tmp_path / "digit.png"
    path.write_text("not a picture")
    run(kernel, "build basic")
    cell = run(kernel, f'predict file="{path}"')

    assert cell.reply["ename"] == "DataError"
    assert str(path) in cell.reply["evalue"]
    assert "is not a PNG file" in cell.reply["evalue"]
    assert "out of memory" not in cell.reply["evalue"]


def test_predict_file_notebook_json(kernel, run, tmp_path):
    path = tmp_path / "student.ipynb"
    path.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    run(kernel, "build basic")
    cell = run(kernel, f'predict file="{path}"')

    assert cell.reply["ename"] == "DataError"
    assert "is not a PNG file" in cell.reply["evalue"]


def test_predict_file_missing(kernel, run, tmp_path):
    path = tmp_path / "absent.png"
    run(kernel, "build basic")
    cell = run(kernel, f'predict file="{path}"')

    assert cell.reply["ename"] == "DataError"
    assert "No such file or directory" in cell.reply["evalue"]
    assert "not a PNG" not in cell.reply["evalue"]


def test_predict_file_truncated_png(kernel, run, tmp_path):
    whole = tmp_path / "whole.png"
    path = tmp_path / "truncated.png"
    write_png(whole, grey(enlarge(mnist_test_set(data_dir())[0][0] / 255.0, 4), True))
    path.write_bytes(whole.read_bytes()[:60])
    run(kernel, "build basic")
    cell = run(kernel, f'predict file="{path}"')

    assert cell.reply["ename"] == "DataError"
    assert "cannot decode the PNG file" in cell.reply["evalue"]


VARIANTS = {
    "dark on light": lambda ink: grey(ink, True),
    "light on dark": lambda ink: grey(ink, False),
    "colour": lambda ink: colourise(ink, (30, 40, 200), (250, 235, 150)),
    "light colour on dark colour": lambda ink: colourise(ink, (255, 220, 60), (20, 60, 40)),
    "off-centre on large canvas": lambda ink: grey(place(ink, (900, 640), (520, 30)), True),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_predict_file_drawn_digits(kernel, run_ok, tmp_path, variant):
    images, labels = mnist_test_set(data_dir())
    run_ok(kernel, "build basic name=reader\ntrain", timeout=120)
    chosen = []
    for index in range(40):
        info = run_ok(kernel, f"predict sample={index}").result["application/json"]
        if info["predicted"] == labels[index]:
            chosen.append(index)
        if len(chosen) == 20:
            break

    lines = []
    for index in chosen:
        path = tmp_path / f"digit{index}.png"
        write_png(path, VARIANTS[variant](enlarge(images[index] / 255.0, 10)))
        lines.append(f'predict file="{path}"')
    cell = run_ok(kernel, "\n".join(lines), timeout=120)
    predicted = [b["application/json"]["predicted"] for b in cell.bundles]
    correct = sum(p == labels[i] for p, i in zip(predicted, chosen))

    assert len(predicted) == len(chosen)
    assert correct >= len(chosen) - 2, f"{variant}: {correct} of {len(chosen)} correct"


def test_show_activations_file(kernel, run_ok, tmp_path):
    images, _ = mnist_test_set(data_dir())
    path = tmp_path / "digit.png"
    write_png(path, grey(enlarge(images[3] / 255.0, 6), False))
    run_ok(kernel, "build conv")
    result = run_ok(kernel, f'show activations file="{path}"').result

    assert f"file {path} (168x168)" in result["text/plain"]
    assert "label" not in result["application/json"]


def test_complete_layer_names(kernel, run_ok):
    run_ok(kernel, "build conv")
    code = "show weights conv2d_Conv2D"
    kernel.client.complete(code, len(code))
    reply = kernel.client.get_shell_msg(timeout=10)["content"]

    assert "conv2d_Conv2D1" in reply["matches"]
    assert "conv2d_Conv2D2" in reply["matches"]
