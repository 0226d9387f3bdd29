"""execute_request through jupyter_client: outputs, ordering, counts, errors and aborts."""

import re
import time
from queue import Empty

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

OUTPUT_TYPES = {"stream", "display_data", "update_display_data", "execute_result", "error",
                "clear_output"}


def outputs_of(iopub_messages):
    return [m for m in iopub_messages if m["msg_type"] in OUTPUT_TYPES]


def stream_text(iopub_messages, name="stdout"):
    return "".join(m["content"]["text"] for m in iopub_messages
                   if m["msg_type"] == "stream" and m["content"]["name"] == name)


def of_type(iopub_messages, msg_type):
    return [m for m in iopub_messages if m["msg_type"] == msg_type]


def drain_iopub(client, seconds):
    """Return every iopub message that arrives within the next `seconds`."""
    messages = []
    deadline = time.monotonic() + seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return messages
        try:
            messages.append(client.get_iopub_msg(timeout=remaining))
        except Empty:
            return messages


def test_print_stream_stdout(kernel, execute):
    reply, iopub_messages = execute(kernel.client, "print hello, world")

    assert reply["content"]["status"] == "ok"
    assert stream_text(iopub_messages) == "hello, world\n"


def test_print_keeps_text_verbatim(kernel, execute):
    # The rest of the line is printed as written: no option parsing, spacing kept.
    text = "key=value  two  spaces größe 😀"
    reply, iopub_messages = execute(kernel.client, f"print {text}")

    assert reply["content"]["status"] == "ok"
    assert stream_text(iopub_messages) == text + "\n"


def test_warn_stream_stderr(kernel, execute):
    reply, iopub_messages = execute(kernel.client, "warn a note for the teacher")

    assert reply["content"]["status"] == "ok"
    assert stream_text(iopub_messages, "stderr") == "a note for the teacher\n"
    assert stream_text(iopub_messages, "stdout") == ""


def test_execute_input_before_outputs(kernel, execute):
    code = "print one\nprint two"
    reply, iopub_messages = execute(kernel.client, code)

    types = [m["msg_type"] for m in iopub_messages]
    assert types[0] == "status"
    assert iopub_messages[0]["content"]["execution_state"] == "busy"
    assert types[1] == "execute_input"
    assert iopub_messages[1]["content"]["code"] == code
    assert iopub_messages[1]["content"]["execution_count"] == reply["content"]["execution_count"]
    assert types[-1] == "status"


def test_execute_count_advances(kernel, execute):
    first, _ = execute(kernel.client, "print a")
    second, _ = execute(kernel.client, "print b")

    assert second["content"]["execution_count"] == first["content"]["execution_count"] + 1


def test_silent_no_outputs_no_count(kernel, execute):
    before, _ = execute(kernel.client, "print before")
    silent, silent_messages = execute(kernel.client, "print hidden\nhelp", silent=True)
    after, _ = execute(kernel.client, "print after")

    assert silent["content"]["status"] == "ok"
    assert [m["msg_type"] for m in silent_messages] == ["status", "status"]
    assert silent_messages[0]["content"]["execution_state"] == "busy"
    assert silent_messages[1]["content"]["execution_state"] == "idle"
    assert after["content"]["execution_count"] == before["content"]["execution_count"] + 1


def test_store_history_false_no_count(kernel, execute):
    before, _ = execute(kernel.client, "print before")
    unstored, unstored_messages = execute(kernel.client, "print unstored",
                                          store_history=False)
    after, _ = execute(kernel.client, "print after")

    assert unstored["content"]["status"] == "ok"
    assert stream_text(unstored_messages) == "unstored\n"
    assert after["content"]["execution_count"] == before["content"]["execution_count"] + 1


def test_user_expressions_in_reply(kernel, execute):
    reply, _ = execute(kernel.client, "print x", user_expressions={})

    assert reply["content"]["user_expressions"] == {}


def test_user_expressions_nonempty_answered(kernel, execute):
    # The kernel may evaluate an expression or leave it out, but must still reply normally.
    reply, _ = execute(kernel.client, "print x", user_expressions={"topic": "help"})

    assert reply["content"]["status"] == "ok"
    assert isinstance(reply["content"]["user_expressions"], dict)


def test_help_alone_execute_result(kernel, execute):
    reply, iopub_messages = execute(kernel.client, "help")

    results = of_type(iopub_messages, "execute_result")
    assert reply["content"]["status"] == "ok"
    assert len(results) == 1
    assert of_type(iopub_messages, "display_data") == []
    assert "print" in results[0]["content"]["data"]["text/plain"]
    assert results[0]["content"]["execution_count"] == reply["content"]["execution_count"]


def test_help_then_print_display_data(kernel, execute):
    reply, iopub_messages = execute(kernel.client, "help\nprint done")

    displays = of_type(iopub_messages, "display_data")
    assert reply["content"]["status"] == "ok"
    assert of_type(iopub_messages, "execute_result") == []
    assert len(displays) == 1
    assert "print" in displays[0]["content"]["data"]["text/plain"]
    assert stream_text(iopub_messages) == "done\n"


def test_output_order_follows_commands(kernel, execute):
    reply, iopub_messages = execute(kernel.client, "print first\nhelp\nprint last")

    outputs = outputs_of(iopub_messages)
    assert reply["content"]["status"] == "ok"
    assert [m["msg_type"] for m in outputs] == ["stream", "display_data", "stream"]
    assert outputs[0]["content"]["text"] == "first\n"
    assert outputs[2]["content"]["text"] == "last\n"


def test_every_bundle_has_text_plain(kernel, execute):
    _, iopub_messages = execute(kernel.client, "help\nhelp print\nhelp")

    bundles = of_type(iopub_messages, "display_data") + of_type(iopub_messages, "execute_result")
    assert len(bundles) == 3
    for message in bundles:
        assert "text/plain" in message["content"]["data"]


def test_clear_sends_clear_output(kernel, execute):
    reply, iopub_messages = execute(kernel.client, "print gone\nclear")

    clears = of_type(iopub_messages, "clear_output")
    assert reply["content"]["status"] == "ok"
    assert len(clears) == 1
    assert isinstance(clears[0]["content"]["wait"], bool)


def test_pager_question_prefix_and_suffix(kernel, execute):
    for code in ("?print", "print?"):
        reply, _ = execute(kernel.client, code)

        assert reply["content"]["status"] == "ok", code
        payloads = reply["content"]["payload"]
        assert len(payloads) == 1, code
        assert payloads[0]["source"] == "page"
        assert "print" in payloads[0]["data"]["text/plain"]


def test_exit_and_quit_ask_exit(kernel, execute):
    for code in ("exit", "quit"):
        reply, _ = execute(kernel.client, code)

        assert reply["content"]["status"] == "ok", code
        assert reply["content"]["payload"] == [{"source": "ask_exit", "keepkernel": False}]


def test_exit_rejects_arguments(kernel, execute):
    reply, _ = execute(kernel.client, "exit now")

    assert reply["content"]["status"] == "error"
    assert "exit takes no arguments" in reply["content"]["evalue"]


def test_print_has_no_payload(kernel, execute):
    reply, _ = execute(kernel.client, "print still here")

    assert reply["content"]["payload"] == []


def test_comment_only_cell_ok(kernel, execute):
    reply, iopub_messages = execute(kernel.client, "# just a comment\n\n   # another")

    assert reply["content"]["status"] == "ok"
    assert outputs_of(iopub_messages) == []


def test_continuation_line_joined(kernel, execute):
    reply, iopub_messages = execute(kernel.client, "print one \\\ntwo")

    assert reply["content"]["status"] == "ok"
    assert re.fullmatch(r"one\s+two\n", stream_text(iopub_messages))


def test_error_single_error_message(kernel, execute):
    reply, iopub_messages = execute(kernel.client, "pritn hello")

    errors = of_type(iopub_messages, "error")
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "CommandError"
    assert len(errors) == 1
    assert errors[0]["content"]["ename"] == reply["content"]["ename"]
    assert errors[0]["content"]["evalue"] == reply["content"]["evalue"]
    assert errors[0]["content"]["traceback"] == reply["content"]["traceback"]


def test_error_did_you_mean(kernel, execute):
    reply, _ = execute(kernel.client, "pritn hello")

    text = reply["content"]["evalue"] + "\n" + "\n".join(reply["content"]["traceback"])
    assert "did you mean" in text.lower()
    assert "print" in text


def test_error_upper_case_command(kernel, execute):
    suggested, _ = execute(kernel.client, "PRINT hello")
    unknown, _ = execute(kernel.client, "xyzzy")

    assert suggested["content"]["evalue"] == ("unknown command 'PRINT'; did you mean 'print'? "
                                              "Type help for the list of commands.")
    assert unknown["content"]["evalue"] == ("unknown command 'xyzzy'. "
                                            "Type help for the list of commands.")


def test_error_spaces_around_equals(kernel, execute):
    reply, _ = execute(kernel.client, "help epochs = 2")

    assert reply["content"]["status"] == "error"
    assert "spaces around '=' are not allowed" in reply["content"]["evalue"]
    assert "write epochs=2" in reply["content"]["evalue"]


def test_error_traceback_line_column_caret(kernel, execute):
    reply, _ = execute(kernel.client, "print first line\n  pritn hello")

    traceback = ANSI_ESCAPE.sub("", "\n".join(reply["content"]["traceback"])).splitlines()
    text = reply["content"]["evalue"] + "\n" + "\n".join(traceback)
    assert reply["content"]["ename"] == "CommandError"
    assert re.search(r"\bline 2\b", text), text

    source_lines = [i for i, line in enumerate(traceback) if "pritn hello" in line]
    assert source_lines, f"the traceback does not quote the failing line:\n{text}"
    quoted = source_lines[0]
    assert quoted + 1 < len(traceback), f"no caret line after the quoted line:\n{text}"
    caret_line = traceback[quoted + 1]
    assert caret_line.strip().startswith("^"), f"no caret under the quoted line:\n{text}"
    # The caret marks the column of the unknown command word.
    assert caret_line.index("^") == traceback[quoted].index("pritn"), text


def test_stop_on_error_aborts_queued(kernel, await_reply, execute):
    client = kernel.client
    # The first request keeps the kernel busy, so the others are surely queued when the
    # second one fails.
    msg_ids = [client.execute("sleep 1"),
               client.execute("pritn oops"),
               client.execute("print aborted one"),
               client.execute("print aborted two")]

    results = [await_reply(client, msg_id) for msg_id in msg_ids]
    statuses = [reply["content"]["status"] for reply, _ in results]
    printed = "".join(stream_text(messages) for _, messages in results)
    later, _ = execute(client, "print runs again")

    assert statuses == ["ok", "error", "aborted", "aborted"]
    assert "aborted" not in printed
    assert later["content"]["status"] == "ok"


def test_stop_on_error_spares_later_request(kernel, execute):
    failed, _ = execute(kernel.client, "pritn oops")
    # Sent only after the failed request's idle status, so it was not queued at the error.
    later, iopub_messages = execute(kernel.client, "print sent after the idle")

    assert failed["content"]["status"] == "error"
    assert later["content"]["status"] == "ok"
    assert stream_text(iopub_messages) == "sent after the idle\n"


def test_stop_on_error_false_runs_queued(kernel, await_reply):
    client = kernel.client
    msg_ids = [client.execute("sleep 1"),
               client.execute("pritn oops", stop_on_error=False),
               client.execute("print still runs")]

    results = [await_reply(client, msg_id) for msg_id in msg_ids]
    statuses = [reply["content"]["status"] for reply, _ in results]

    assert statuses == ["ok", "error", "ok"]
    assert stream_text(results[2][1]) == "still runs\n"


def test_busy_idle_around_kernel_info_shell(kernel, await_reply):
    msg_id = kernel.client.kernel_info()
    reply, iopub_messages = await_reply(kernel.client, msg_id)

    states = [m["content"]["execution_state"] for m in iopub_messages]
    assert reply["msg_type"] == "kernel_info_reply"
    assert states == ["busy", "idle"]


def test_busy_idle_around_kernel_info_control(kernel, await_reply):
    request = kernel.client.session.msg("kernel_info_request", {})
    kernel.client.control_channel.send(request)
    reply, iopub_messages = await_reply(kernel.client, request["header"]["msg_id"], "control")

    states = [m["content"]["execution_state"] for m in iopub_messages]
    assert reply["msg_type"] == "kernel_info_reply"
    assert reply["content"]["implementation"] == "nnscope"
    assert states == ["busy", "idle"]


def test_kernel_info_reply_fields(kernel, await_reply):
    reply, _ = await_reply(kernel.client, kernel.client.kernel_info())

    content = reply["content"]
    language = content["language_info"]
    assert content["status"] == "ok"
    assert content["protocol_version"] == "5.3"
    assert content["implementation"] == "nnscope"
    assert content["implementation_version"]
    assert content["banner"]
    assert isinstance(content["help_links"], list)
    assert language["name"] == "nnscope"
    assert language["file_extension"] == ".nns"
    assert language["version"]
    assert language["mimetype"]
    assert language["pygments_lexer"]
    assert "codemirror_mode" in language


def test_reply_parent_header_is_request(kernel):
    client = kernel.client
    request = client.session.msg("kernel_info_request", {})
    client.shell_channel.send(request)

    reply = client.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != request["header"]["msg_id"]:
        reply = client.get_shell_msg(timeout=30)

    assert reply["parent_header"]["session"] == client.session.session
    assert reply["parent_header"]["msg_type"] == "kernel_info_request"
    assert reply["header"]["version"] == "5.3"
    assert reply["header"]["date"].utcoffset().total_seconds() == 0


def test_replies_in_request_order(kernel):
    client = kernel.client
    msg_ids = []
    for number in range(10):
        msg_ids.append(client.execute(f"print request {number}"))
        msg_ids.append(client.kernel_info())

    wanted = set(msg_ids)
    parents = []
    while len(parents) < len(msg_ids):
        reply = client.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") in wanted:
            parents.append(reply["parent_header"]["msg_id"])

    assert parents == msg_ids


def test_outputs_before_idle_repeated(kernel):
    client = kernel.client
    finished = set()
    late = []

    for run in range(300):
        msg_id = client.execute(f"print run {run}\nhelp print")
        reply = client.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = client.get_shell_msg(timeout=30)
        assert reply["content"]["status"] == "ok", run

        messages = []
        while True:
            message = client.get_iopub_msg(timeout=30)
            parent = message["parent_header"].get("msg_id")
            if parent in finished:
                late.append((parent, message["msg_type"]))
            if parent != msg_id:
                continue
            messages.append(message)
            if (message["msg_type"] == "status"
                    and message["content"]["execution_state"] == "idle"):
                break
        finished.add(msg_id)

        assert stream_text(messages) == f"run {run}\n", f"execution {run}"
        assert len(of_type(messages, "execute_result")) == 1, f"execution {run}"

    for message in drain_iopub(client, 1.0):
        if message["parent_header"].get("msg_id") in finished:
            late.append((message["parent_header"]["msg_id"], message["msg_type"]))
    assert late == [], "messages arrived after their request's idle status"


def test_stream_flood_complete(kernel, execute):
    lines = 5000
    code = "\n".join(f"print line {i}" for i in range(lines))

    reply, iopub_messages = execute(kernel.client, code, timeout=120)
    late = [m for m in drain_iopub(kernel.client, 1.0)
            if m["parent_header"].get("msg_id") == reply["parent_header"]["msg_id"]]

    assert reply["content"]["status"] == "ok"
    assert stream_text(iopub_messages) == "".join(f"line {i}\n" for i in range(lines))
    assert late == []
    # Batched: Notebook 6 drops iopub output above 1000 messages per second by default
    # (NotebookApp.iopub_msg_rate_limit), so one message per line would lose output.
    assert len(of_type(iopub_messages, "stream")) <= lines // 10


def test_print_long_line_complete(kernel, execute):
    text = "".join(chr(ord("a") + i % 26) for i in range(200_000))

    reply, iopub_messages = execute(kernel.client, f"print {text}", timeout=120)

    assert reply["content"]["status"] == "ok"
    assert stream_text(iopub_messages) == text + "\n"
