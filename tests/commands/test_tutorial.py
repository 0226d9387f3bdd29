"""The tutorial notebook, executed headless with nbconvert and rendered by Chromium."""
import base64
import json
import os
import shutil
import subprocess

import pytest

from conftest import REPOSITORY, png_size

NOTEBOOKS = REPOSITORY / "notebooks"
# Debian's python3-nbconvert ships the module without the jupyter-nbconvert script, so
# `jupyter nbconvert` is not available and the module is run directly.
NBCONVERT = ["/usr/bin/python3", "-m", "nbconvert"]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def executed(nnscope_kernelspec, tmp_path_factory):
    """Run the tutorial in a copy of notebooks/ (it saves a model file next to itself)."""
    work = tmp_path_factory.mktemp("tutorial")
    shutil.copy(NOTEBOOKS / "tutorial.ipynb", work)
    shutil.copy(NOTEBOOKS / "drawn-seven.png", work)
    command = NBCONVERT + ["--to", "notebook", "--execute",
               f"--ExecutePreprocessor.kernel_name={nnscope_kernelspec.name}",
               "--ExecutePreprocessor.timeout=300", "--output", "executed.ipynb",
               str(work / "tutorial.ipynb")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"nbconvert --execute failed:\n{result.stderr[-3000:]}"

    command = NBCONVERT + ["--to", "html", str(work / "executed.ipynb")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"nbconvert --to html failed:\n{result.stderr[-3000:]}"
    with open(work / "executed.ipynb") as f:
        return work, json.load(f)


def text(value):
    """nbformat may store a multi-line string as a list of lines."""
    return "".join(value) if isinstance(value, list) else value


def code_cells(notebook):
    return [c for c in notebook["cells"] if c["cell_type"] == "code"]


def test_tutorial_uses_nnscope_kernel():
    with open(NOTEBOOKS / "tutorial.ipynb") as f:
        metadata = json.load(f)["metadata"]

    assert metadata["kernelspec"]["name"] == "nnscope"
    assert metadata["kernelspec"]["language"] == "nnscope"


# Commands whose output is a tall picture or several of them. Notebook 6 folds a cell's
# output into a scroll box once it grows long, so each of these gets a cell of its own.
TALL_OUTPUT_COMMANDS = {"data", "samples", "histogram", "train", "evaluate", "show", "predict"}


def test_tutorial_one_tall_output_per_cell():
    with open(NOTEBOOKS / "tutorial.ipynb") as f:
        notebook = json.load(f)
    for cell in code_cells(notebook):
        words = [line.split()[0] for line in "".join(cell["source"]).splitlines()
                 if line.strip() and not line.lstrip().startswith("#")]
        tall = [w for w in words if w in TALL_OUTPUT_COMMANDS]

        assert len(tall) <= 1, f"cell {words} has more than one tall output: {tall}"


def test_tutorial_runs_without_errors(executed):
    _, notebook = executed
    errors = [o for c in code_cells(notebook) for o in c["outputs"] if o["output_type"] == "error"]

    assert errors == []
    assert all(c["outputs"] for c in code_cells(notebook))


def test_tutorial_keeps_pictures_and_tables(executed):
    _, notebook = executed
    outputs = [o for c in code_cells(notebook) for o in c["outputs"]]
    pictures = [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
    tables = [o for o in outputs if "<table>" in text(o.get("data", {}).get("text/html", ""))]

    assert len(pictures) >= 20
    assert len(tables) >= 10
    for picture in pictures:
        width, height = png_size(text(picture))
        assert 100 <= width <= 1200
        assert 50 <= height <= 4000


def test_tutorial_covers_every_command(executed):
    _, notebook = executed
    source = "\n".join("".join(c["source"]) for c in code_cells(notebook))
    commands = {line.split()[0] for line in source.splitlines() if line.strip()}

    for command in ("data", "samples", "set", "build", "models", "use", "summary", "weights",
                    "histogram", "train", "evaluate", "show", "predict", "save", "load",
                    "reset", "help"):
        assert command in commands


def test_tutorial_predicts_drawn_seven(executed):
    _, notebook = executed
    for cell in code_cells(notebook):
        if "".join(cell["source"]).startswith("predict file="):
            data = cell["outputs"][-1]["data"]
            assert data["application/json"]["predicted"] == 7
            return
    pytest.fail("the tutorial has no predict file= cell")


@pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason="chromium is not installed")
def test_tutorial_html_renders(executed):
    work, _ = executed
    screenshot = work / "tutorial.png"
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--screenshot={screenshot}", "--window-size=1000,6000",
               f"file://{work / 'executed.html'}"]
    subprocess.run(command, capture_output=True, text=True, timeout=120)

    assert screenshot.exists(), "chromium wrote no screenshot"
    assert png_size(base64.b64encode(screenshot.read_bytes())) == (1000, 6000)
