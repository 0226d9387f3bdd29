"""`nbconvert --execute` runs a notebook on nnscope and stores its outputs.

Debian's python3-nbconvert ships the module but not the `jupyter-nbconvert` script (that is
the separate jupyter-nbconvert package), so the test runs `python3 -m nbconvert`.
"""

import pathlib
import subprocess

import nbformat

NOTEBOOK = pathlib.Path(__file__).parent / "data" / "commands.ipynb"


def test_nbconvert_execute_stores_outputs(nnscope_kernelspec, tmp_path):
    command = ["/usr/bin/python3", "-m", "nbconvert", "--to", "notebook", "--execute",
               f"--ExecutePreprocessor.kernel_name={nnscope_kernelspec.name}",
               "--ExecutePreprocessor.timeout=60",
               "--output-dir", str(tmp_path), "--output", "executed", str(NOTEBOOK)]
    # Generous: nbconvert itself takes a few seconds to import on a busy machine.
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr

    notebook = nbformat.read(tmp_path / "executed.ipynb", as_version=4)
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]

    assert [cell.execution_count for cell in cells] == [1, 2, 3, 4, 5]

    help_outputs = cells[0].outputs
    assert [output.output_type for output in help_outputs] == ["execute_result"]
    assert "print" in help_outputs[0].data["text/plain"]

    assert [(o.output_type, o.name, o.text) for o in cells[1].outputs] == [
        ("stream", "stdout", "hello from nbconvert\n")]

    assert [(o.output_type, o.name, o.text) for o in cells[2].outputs] == [
        ("stream", "stderr", "a note for the teacher\n")]

    mixed = cells[3].outputs
    assert [output.output_type for output in mixed] == ["display_data", "stream"]
    assert "print" in mixed[0].data["text/plain"]
    assert mixed[1].text == "after help\n"

    assert [(o.output_type, o.text) for o in cells[4].outputs] == [("stream", "kept\n")]
