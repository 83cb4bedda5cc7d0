"""`frontdoor run` and `frontdoor chat` in a real pseudo-terminal: the conversation only (logs go to
a file named in the first line), buttons as numbered choices, line editing and history, /help."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?:DEBUG|INFO|WARNING|ERROR|CRITICAL) ", re.M)
PROMPT = r"alice\.nguyen@example\.org>"
"""The prompt as drawn (the editor moves the cursor after it rather than printing a space)."""
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(folder: Path, *args: str, **env: str) -> pexpect.spawn:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FRONTDOOR_", "SLACK_", "MICROSOFT_"))}
    clean.update({"FRONTDOOR_HTTP_PORT": "0", "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", **env})
    return pexpect.spawn(
        sys.executable, ["-m", "bot", *args], cwd=folder, env=clean, encoding="utf-8", timeout=20, dimensions=(60, 220)
    )


def finish(child: pexpect.spawn) -> str:
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    return str(child.before)


def test_frontdoor_run_shows_the_conversation_and_no_log_line(tmp_path: Path) -> None:
    child = spawn(tmp_path, "run")
    seen = []
    child.expect(PROMPT)
    seen.append(child.before)
    assert (
        str(child.before).splitlines()[0]
        == "Logs go to var/frontdoor.log (FRONTDOOR_LOG_LEVEL=INFO shows them here instead)."
    )
    child.sendline("we need 3 monitors for 4 West, cost center 4410, about $900")
    child.expect("1 · Confirm   2 · Edit   3 · Cancel")
    child.expect(PROMPT)
    seen.append(child.before)
    child.sendline("1")  # the first button of the newest card: Confirm
    child.expect("Submitted as REQ-1001")
    child.expect(PROMPT)
    seen.append(child.before)
    child.sendline("/help")
    child.expect(r"/as EMAIL\s+chat as someone else")
    child.expect(PROMPT)
    child.sendline("/as bob.martin@example.org")
    child.expect(r"bob\.martin@example\.org>")
    child.sendline("1")  # Approve on Bob's card
    child.expect("Approved by Bob Martin")
    child.expect(r"bob\.martin@example\.org>")
    seen.append(child.before)
    seen.append(finish(child))
    shown = ANSI.sub("", "".join(str(s) for s in seen))
    assert not LOG_LINE.search(shown), shown
    log = (tmp_path / "var" / "frontdoor.log").read_text()
    assert "INFO httpx HTTP Request: POST" in log and "apscheduler" in log  # what used to fill the terminal


def test_the_chat_keeps_history_and_edits_lines(tmp_path: Path) -> None:
    child = spawn(tmp_path, "chat")
    child.expect(PROMPT)
    child.sendline("what can you help with")
    child.expect(PROMPT)
    child.sendcontrol("p")  # the previous line, from the history
    child.sendcontrol("a")  # to the start of the line, then edit it
    child.send("so ")
    child.sendline("")
    child.expect(r"so what can you help with")
    child.expect(PROMPT)
    child.sendline("7")
    child.expect("No card shows a button with that number")
    child.expect(PROMPT)
    child.sendline("/frobnicate")
    child.expect("is not a command I know")
    child.expect(PROMPT)
    shown = ANSI.sub("", str(child.before) + finish(child))
    assert not LOG_LINE.search(shown)
    assert not (tmp_path / "var" / "chat_history").exists()  # typed lines may hold patients' details: not kept


@pytest.mark.parametrize("args", [("run",), ("chat",)])
def test_asking_for_a_log_level_shows_the_logs_in_the_terminal(tmp_path: Path, args: tuple[str, ...]) -> None:
    child = spawn(tmp_path, *args, FRONTDOOR_LOG_LEVEL="INFO")
    child.expect(PROMPT)
    shown = ANSI.sub("", str(child.before) + finish(child))
    assert LOG_LINE.search(shown) and "Logs go to" not in shown
    assert not (tmp_path / "var" / "frontdoor.log").exists()


def test_only_a_bare_number_presses_a_button() -> None:
    from bot.channels.local.console import Console

    console = Console(write=lambda _text: None)
    console.show(
        {
            "kind": "card",
            "to": "b",
            "text": "t",
            "request": "REQ-1001",
            "card": {"title": "T", "fields": {}, "buttons": ["approve", "reject", "request_info"]},
        }
    )
    assert console.choice(["1"]) == {"press": "approve", "request": "REQ-1001", "comment": None}
    assert console.choice(["2", "we", "have", "stock"]) == {
        "press": "reject",
        "request": "REQ-1001",
        "comment": "we have stock",
    }
    assert console.choice(["1", "more", "thing"]) is None  # a message, not Approve
    assert console.choice(["4"]) is None
