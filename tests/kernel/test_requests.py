"""is_complete, complete, inspect and comm requests through jupyter_client."""

import uuid

import pytest


def is_complete_status(kernel, await_reply, code):
    reply, _ = await_reply(kernel.client, kernel.client.is_complete(code))
    return reply["content"]


# print takes the rest of its line verbatim, quotes included, so the quoted strings here
# are arguments of help, which the command language tokenizes.
@pytest.mark.parametrize("code", [
    'help "unclosed',
    'help "unclosed over\ntwo lines',
    "print one \\",
    "print one \\\ntwo \\",
])
def test_is_complete_incomplete(kernel, await_reply, code):
    content = is_complete_status(kernel, await_reply, code)

    assert content["status"] == "incomplete"
    assert isinstance(content["indent"], str)


@pytest.mark.parametrize("code", [
    "help",
    'help "closed"',
    'help "closed over\ntwo lines"',
    'print "an unbalanced quote in print text',
    "print one \\\ntwo",
    "pritn typo is still complete",
    "# comment",
])
def test_is_complete_complete(kernel, await_reply, code):
    content = is_complete_status(kernel, await_reply, code)

    assert content["status"] == "complete"


def complete(kernel, await_reply, code, cursor_pos):
    reply, _ = await_reply(kernel.client, kernel.client.complete(code, cursor_pos))
    assert reply["content"]["status"] == "ok"
    return reply["content"]


def test_complete_command_prefix(kernel, await_reply):
    content = complete(kernel, await_reply, "he", 2)

    assert content["matches"] == ["help"]
    assert content["cursor_start"] == 0
    assert content["cursor_end"] == 2


def test_complete_empty_offers_commands(kernel, await_reply):
    content = complete(kernel, await_reply, "", 0)

    assert {"help", "print", "warn", "clear"} <= set(content["matches"])


def test_complete_cursor_code_points(kernel, await_reply):
    # Before the cursor: two-byte (ü, ß), three-byte (€) and four-byte (😀) UTF-8
    # characters, which are also one or two UTF-16 units. Python's len counts code points.
    code = 'print "größe 😀 €"\nhe'
    content = complete(kernel, await_reply, code, len(code))

    assert content["matches"] == ["help"]
    assert content["cursor_start"] == len(code) - 2
    assert content["cursor_end"] == len(code)


def test_complete_cursor_mid_text(kernel, await_reply):
    before = 'print "ünïcödé 😀"\nwa'
    code = before + "\nprint after"
    content = complete(kernel, await_reply, code, len(before))

    assert content["matches"] == ["warn"]
    assert content["cursor_start"] == len(before) - 2
    assert content["cursor_end"] == len(before)


def test_complete_unknown_prefix_empty(kernel, await_reply):
    content = complete(kernel, await_reply, "zzz", 3)

    assert content["matches"] == []


def test_inspect_command_help(kernel, await_reply):
    reply, _ = await_reply(kernel.client, kernel.client.inspect("print", 5))

    content = reply["content"]
    assert content["status"] == "ok"
    assert content["found"] is True
    assert "print" in content["data"]["text/plain"]


def test_inspect_unknown_not_found(kernel, await_reply):
    reply, _ = await_reply(kernel.client, kernel.client.inspect("zzznothing", 10))

    assert reply["content"]["status"] == "ok"
    assert reply["content"]["found"] is False


def test_comm_open_unknown_target_closed(kernel, await_reply):
    client = kernel.client
    comm_id = str(uuid.uuid4())
    request = client.session.msg("comm_open", {
        "comm_id": comm_id, "target_name": "nnscope.no_such_target", "data": {}})
    client.shell_channel.send(request)

    closes = []
    while not closes:
        message = client.get_iopub_msg(timeout=30)
        if message["msg_type"] == "comm_close" and message["content"]["comm_id"] == comm_id:
            closes.append(message)

    assert kernel.manager.is_alive()
    info, _ = await_reply(client, client.comm_info())
    assert comm_id not in info["content"]["comms"]


def test_comm_info_reply(kernel, await_reply):
    reply, iopub_messages = await_reply(kernel.client, kernel.client.comm_info())

    assert reply["msg_type"] == "comm_info_reply"
    assert reply["content"]["status"] == "ok"
    assert isinstance(reply["content"]["comms"], dict)
    assert [m["content"]["execution_state"] for m in iopub_messages] == ["busy", "idle"]


def test_comm_info_target_filter(kernel, await_reply):
    reply, _ = await_reply(kernel.client, kernel.client.comm_info("nnscope.no_such_target"))

    assert reply["content"]["status"] == "ok"
    assert reply["content"]["comms"] == {}


def test_comm_msg_unknown_comm_survived(kernel, await_reply, execute):
    client = kernel.client
    for msg_type, content in (("comm_msg", {"comm_id": str(uuid.uuid4()), "data": {}}),
                              ("comm_close", {"comm_id": str(uuid.uuid4()), "data": {}})):
        client.shell_channel.send(client.session.msg(msg_type, content))

    reply, _ = execute(client, "print still here")

    assert reply["content"]["status"] == "ok"
    assert kernel.manager.is_alive()
