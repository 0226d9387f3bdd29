"""The standard Jupyter kernel conformance suite (jupyter_kernel_test 0.4.5) run on nnscope.

Every attribute the suite reads is set, so none of its tests skips. The fail_on_skip marker
reports any skip as a failure, for example one added by a later version of the suite.
"""

import pytest

import jupyter_kernel_test


@pytest.mark.fail_on_skip
@pytest.mark.usefixtures("nnscope_kernelspec")
class NnscopeKernelTests(jupyter_kernel_test.KernelTests):
    # Installed into a temporary prefix by the nnscope_kernelspec fixture (tests/conftest.py).
    kernel_name = "nnscope-test"

    language_name = "nnscope"
    file_extension = ".nns"

    code_hello_world = "print hello, world"
    code_stderr = "warn a note for the teacher"

    completion_samples = [
        {"text": "hel", "matches": {"help"}},
        {"text": "pri", "matches": {"print"}},
        {"text": "help\nwar", "matches": {"warn"}},
    ]

    complete_code_samples = [
        "help",
        "print hello",
        'help "print"',
        'help "a string over\ntwo lines"',
        "print one \\\ntwo",
        "# only a comment",
        "",
    ]
    incomplete_code_samples = [
        'help "unclosed',
        "print one \\",
    ]
    # Every line parses to something the kernel can run or report, so there is no input
    # that is_complete should call "invalid".
    invalid_code_samples = []

    code_page_something = "?print"

    code_generate_error = "pritn hello"

    # The cell's last command sends its primary result as execute_result. The history test
    # runs these cells repeatedly and searches for code_history_pattern among them.
    code_execute_result = [
        {"code": "help", "mime": "text/plain"},
        {"code": "help print", "mime": "text/plain"},
    ]
    code_history_pattern = "help p*"
    supported_history_operations = ("tail", "range", "search")

    # help followed by another command sends help's result as display_data.
    code_display_data = [
        {"code": "help\nprint done", "mime": "text/plain"},
    ]

    code_inspect_sample = "print"

    code_clear_output = "clear"
