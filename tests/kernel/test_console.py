"""A jupyter-console session on nnscope, fed its input through a pipe."""

import subprocess


def test_console_help_and_print(nnscope_kernelspec):
    command = ["/usr/bin/jupyter-console", "--kernel", nnscope_kernelspec.name,
               "--simple-prompt"]
    # At the end of input the console prompts "Do you really want to exit" and takes EOF as yes.
    session_input = "help\nprint hello from the console\nwarn a console note\npritn typo\n"

    result = subprocess.run(command, input=session_input, capture_output=True, text=True,
                            timeout=120)

    assert result.returncode == 0, result.stderr
    output = result.stdout
    assert "In [1]:" in output
    assert "Out[1]:" in output
    assert "print" in output.split("Out[1]:", 1)[1]
    assert "hello from the console\n" in output
    # jupyter-console prints streams named stderr and error tracebacks to its stderr.
    assert "a console note\n" in result.stderr
    assert "pritn typo" in result.stderr
    assert "Shutting down kernel" in output


def test_console_exit_closes(nnscope_kernelspec):
    command = ["/usr/bin/jupyter-console", "--kernel", nnscope_kernelspec.name,
               "--simple-prompt"]
    # Without the ask_exit payload the console would run the print and then ask
    # "Do you really want to exit" at the end of input.
    result = subprocess.run(command, input="exit\nprint after exit\n", capture_output=True,
                            text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert "unknown command" not in result.stderr
    assert "after exit" not in result.stdout
    assert "Do you really want to exit" not in result.stdout
    assert "Shutting down kernel" in result.stdout
