"""The review card's buttons said in words, in English and Spanish; anything more is a message."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.events import ActionName
from bot.core.typed import typed_action
from bot.store import repo
from tests.bot.helpers import make_app, press, run_steps, say

ALICE, BOB = "alice.nguyen@example.org", "bob.martin@example.org"

CONFIRM, EDIT, CANCEL = ActionName.CONFIRM, ActionName.EDIT, ActionName.CANCEL


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("yes", CONFIRM),
        ("Yes!", CONFIRM),
        ("yes, submit it", CONFIRM),
        ("looks good, send it", CONFIRM),
        ("Confirm", CONFIRM),
        ("submit", CONFIRM),
        ("ok", CONFIRM),
        ("yes please", CONFIRM),
        ("LGTM", CONFIRM),
        ("go ahead", CONFIRM),
        ("that's right, send it in", CONFIRM),
        ("👍", CONFIRM),
        ("yep thanks", CONFIRM),
        ("sí", CONFIRM),
        ("Sí, envíalo por favor", CONFIRM),
        ("confirmar", CONFIRM),
        ("está bien", CONFIRM),
        ("edit", EDIT),
        ("change it", EDIT),
        ("I want to change something", EDIT),
        ("no", EDIT),
        ("not quite", EDIT),
        ("editar", EDIT),
        ("no wait", EDIT),
        ("cancel", CANCEL),
        ("never mind", CANCEL),
        ("forget it", CANCEL),
        ("don't submit", CANCEL),
        ("cancelar", CANCEL),
        ("olvídalo", CANCEL),
        ("no lo envíes", CANCEL),
        ("no, cancel", CANCEL),
    ],
)
def test_words_that_are_a_button(text: str, action: ActionName) -> None:
    assert typed_action(text) is action


@pytest.mark.parametrize(
    "text",
    [
        "ok thanks",
        "great, thank you",
        "thanks",
        "yes but make it 4",
        "change the cost center to 5120",
        "make it urgent",
        "we need 3 monitors",
        "ok cancel",
        "what happens next?",
        "",
        "yes " * 30,
    ],
)
def test_anything_more_is_read_as_a_message(text: str) -> None:
    assert typed_action(text) is None


def test_a_typed_confirm_is_checked_and_audited_as_typed(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [say(ALICE, "buy 3 x monitors for cc-4410 $900"), say(ALICE, "yes, submit it")])
    with app.db.transaction() as session:
        [submitted] = repo.audit_trail(session, "REQ-1001")
        assert submitted.action == "submitted" and submitted.source["typed"] is True
    run_steps(app, [say(ALICE, "buy 3 x monitors"), say(ALICE, "confirm")])  # not yet in review
    assert lines[-1]["text"] == (
        "Nothing was submitted yet: the form still needs the estimated cost and cost center. "
        "What is the estimated total cost (in USD)?"
    )
    with app.db.transaction() as session:
        assert repo.request_by_ref(session, "REQ-1002") is None  # nothing half-filled is submitted


def test_two_confirms_at_the_same_moment_submit_once(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A double click reaching two workers (or two replicas) at once: the second turn's claim on the
    form waits for the first and finds it closed, so one request is made and the other click is
    told what became of the form."""
    import threading
    import time

    from sqlalchemy import func, select

    from bot.core import approvals
    from bot.core.events import Action, Place
    from bot.store.models import Draft, Request

    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [say(ALICE, "buy 3 x monitors for cc-4410 $900")])
    with app.db.transaction() as session:
        draft = session.scalars(select(Draft)).one()
        draft_id, version = draft.id, draft.version
    slow_submit = approvals.submit

    def submit_slowly(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)  # both turns are in flight before either commits
        return slow_submit(*args, **kwargs)

    monkeypatch.setattr(approvals, "submit", submit_slowly)
    barrier, answers = threading.Barrier(2), []

    def click(n: int) -> None:
        barrier.wait()
        action = Action(
            ALICE,
            Place("local", f"dm:{ALICE}"),
            ActionName.CONFIRM,
            draft=draft_id,
            version=version,
            event_id=f"click-{n}",
        )
        answers.extend(o.text for o in app.engine.handle(action))

    threads = [threading.Thread(target=click, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Request)) == 1
    assert sum(text.startswith("Already submitted as REQ-1001") for text in answers) == 1


def test_a_typed_ok_after_edit_shows_the_review_and_submits_nothing(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [say(ALICE, "buy 3 x monitors for cc-4410 $900"), press(ALICE, "edit"), say(ALICE, "ok")])
    assert lines[-1]["card"]["title"].startswith("Review") and lines[-1]["card"]["buttons"] == [
        "confirm",
        "edit",
        "cancel",
    ]
    with app.db.transaction() as session:
        assert repo.request_by_ref(session, "REQ-1001") is None


def test_a_yes_for_an_approvers_question_is_an_answer_not_a_confirm(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            say(ALICE, "buy 3 x monitors for cc-4410 $900"),
            press(ALICE, "confirm"),
            say(ALICE, "buy 2 x chairs for cc-4410 $300"),  # a second form, in review
            press(BOB, "request_info", comment="Is this for 4 West?"),
            say(ALICE, "yes"),
        ],
    )
    with app.db.transaction() as session:
        assert repo.request_by_ref(session, "REQ-1002") is None  # the second form was not submitted
    assert any(line["to"] == BOB and line["text"].endswith("answered about REQ-1001: yes") for line in lines)
