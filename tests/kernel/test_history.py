"""history_request: tail, range and search with IPython-style glob patterns.

The module's kernel runs CELLS first and nothing else, so every expected list below is
exact. Patterns follow IPython's HistoryManager.search (SQLite GLOB): `*`, `?` and `[...]`,
case-sensitive, matched against the whole input.
"""

import pytest

CELLS = [
    "print hist alpha",
    "print hist beta",
    "help print",
    "print hist alpha",
    "print hist gamma",
]


@pytest.fixture(scope="module")
def executed(kernel):
    """Run CELLS once; return their execute_replies and the help cell's result text."""
    replies = []
    help_text = None
    for code in CELLS:
        msg_id = kernel.client.execute(code)
        reply = kernel.client.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kernel.client.get_shell_msg(timeout=30)
        assert reply["content"]["status"] == "ok", code
        replies.append(reply)
        while True:
            message = kernel.client.get_iopub_msg(timeout=30)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "execute_result":
                help_text = message["content"]["data"]["text/plain"]
            if (message["msg_type"] == "status"
                    and message["content"]["execution_state"] == "idle"):
                break
    return replies, help_text


def history(kernel, await_reply, **request):
    request.setdefault("raw", True)
    request.setdefault("output", False)
    reply, _ = await_reply(kernel.client, kernel.client.history(**request))
    assert reply["content"]["status"] == "ok"
    return reply["content"]["history"]


def test_history_tail_last_n(kernel, executed, await_reply):
    replies, _ = executed
    entries = history(kernel, await_reply, hist_access_type="tail", n=3)

    assert [entry[2] for entry in entries] == CELLS[-3:]
    assert [entry[1] for entry in entries] == [
        reply["content"]["execution_count"] for reply in replies[-3:]]


def test_history_tail_with_output(kernel, executed, await_reply):
    _, help_text = executed
    entries = history(kernel, await_reply, hist_access_type="tail", n=3, output=True)

    inputs_outputs = [tuple(entry[2]) for entry in entries]
    assert inputs_outputs[0] == ("help print", help_text)
    assert inputs_outputs[1][0] == "print hist alpha"
    assert inputs_outputs[1][1] in (None, "")


def test_history_range(kernel, executed, await_reply):
    replies, _ = executed
    tail = history(kernel, await_reply, hist_access_type="tail", n=1)
    session = tail[0][0]
    start = replies[1]["content"]["execution_count"]

    entries = history(kernel, await_reply, hist_access_type="range", session=session,
                      start=start, stop=start + 2)

    assert [entry[2] for entry in entries] == CELLS[1:3]
    assert [entry[1] for entry in entries] == [start, start + 1]
    assert all(entry[0] == session for entry in entries)


def test_history_search_star(kernel, executed, await_reply):
    entries = history(kernel, await_reply, hist_access_type="search", pattern="print hist *")

    assert [entry[2] for entry in entries] == [
        "print hist alpha", "print hist beta", "print hist alpha", "print hist gamma"]


def test_history_search_question_mark(kernel, executed, await_reply):
    entries = history(kernel, await_reply, hist_access_type="search", pattern="print hist ?eta")

    assert [entry[2] for entry in entries] == ["print hist beta"]


def test_history_search_character_class(kernel, executed, await_reply):
    entries = history(kernel, await_reply, hist_access_type="search",
                      pattern="print hist [ab]*")

    assert [entry[2] for entry in entries] == [
        "print hist alpha", "print hist beta", "print hist alpha"]


def test_history_search_whole_input(kernel, executed, await_reply):
    entries = history(kernel, await_reply, hist_access_type="search", pattern="hist*")

    assert entries == []


def test_history_search_case_sensitive(kernel, executed, await_reply):
    entries = history(kernel, await_reply, hist_access_type="search", pattern="PRINT*")

    assert entries == []


def test_history_search_n_keeps_latest(kernel, executed, await_reply):
    entries = history(kernel, await_reply, hist_access_type="search", pattern="print hist *",
                      n=2)

    assert [entry[2] for entry in entries] == ["print hist alpha", "print hist gamma"]


def test_history_search_unique(kernel, executed, await_reply):
    entries = history(kernel, await_reply, hist_access_type="search", pattern="print hist *",
                      unique=True)

    inputs = [entry[2] for entry in entries]
    assert sorted(inputs) == ["print hist alpha", "print hist beta", "print hist gamma"]


def test_history_search_with_output(kernel, executed, await_reply):
    _, help_text = executed
    entries = history(kernel, await_reply, hist_access_type="search", pattern="help *",
                      output=True)

    assert [tuple(entry[2]) for entry in entries] == [("help print", help_text)]


def test_history_skips_unstored(kernel, executed, await_reply, execute):
    execute(kernel.client, "print hist unstored", store_history=False)
    execute(kernel.client, "print hist hidden", silent=True)

    entries = history(kernel, await_reply, hist_access_type="search",
                      pattern="print hist [uh]*")

    assert entries == []
