"""An unfinished form is nudged once: an urgent work order after a few minutes, any other form
after a business hour (a form left on Friday at 17:30 on Monday at 09:00); never once its person
wrote since; once per draft across sweeps and replicas; never a form closed or set aside. On
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.core.clock import ManualClock
from bot.core.replies import Outgoing
from bot.settings import load_settings
from bot.store import nudges
from bot.store.models import Draft, OutboxMessage, Request
from intents.base import ParseContext, Proposal
from tests.bot.helpers import START, KeywordParser, press, run_steps, say
from tests.bot.test_conversation_turns import draft_of

ALICE, GEORGE = "alice.nguyen@example.org", "george.hall@example.org"
NEW_YORK = ZoneInfo("America/New_York")
FLOOD = "water everywhere in the 4W dirty utility room"
HEATER = "the heater in 3B is out"
PUMPS = "buy 3 x monitors for cc-4410 $900"


class NudgeParser(KeywordParser):
    """Fixed readings of a few work orders; the keyword parser for the rest."""

    name = "nudge"
    TABLE: ClassVar[dict[str, Proposal]] = {
        FLOOD: Proposal(
            intent="facilities_work_order",
            confidence=0.95,
            slots={"location": "4W dirty utility room", "issue_type": "plumbing", "priority": "emergency"},
        ),
        HEATER: Proposal(
            intent="facilities_work_order", confidence=0.95, slots={"location": "3B", "issue_type": "hvac"}
        ),
    }

    def parse(self, text: str, context: ParseContext) -> Proposal:
        return self.TABLE.get(text) or super().parse(text, context)


def app_at(database_url: str, at: datetime, lines: list[dict[str, Any]] | None = None) -> App:
    app = App(
        load_settings(database_url=database_url),
        clock=ManualClock(at),
        channels={"local": LocalChannel((lines if lines is not None else []).append)},
        parser=NudgeParser(),
    )
    app.migrate()
    return app


def sweep(app: App, at: datetime) -> list[Outgoing]:
    """The nudges one sweep at `at` queued."""
    return [o for o in app.sweeper(at) if (o.card_key or "").startswith("draft:")]


def queued_nudges(app: App) -> int:
    with app.db.transaction() as session:
        query = select(func.count()).where(OutboxMessage.idempotency_key.like("nudge:%"))
        return int(session.scalar(query) or 0)


def test_an_urgent_work_order_is_nudged_once_after_a_few_minutes(database_url: str) -> None:
    app = app_at(database_url, START)
    run_steps(app, [say(ALICE, FLOOD)])
    assert draft_of(app).pending_field == "description"  # type: ignore[union-attr]
    assert sweep(app, START + timedelta(minutes=4)) == []
    [nudge] = sweep(app, START + timedelta(minutes=5))
    assert nudge.to == ALICE and nudge.place is not None and nudge.place.key == f"local:dm:{ALICE}:"
    assert nudge.text == (
        "Your facilities work order (location 4W dirty utility room, issue plumbing) isn't sent yet: it still "
        "needs the description. Answer here, or press Edit to fill in the form."
    )
    assert nudge.card is not None and [b.action for b in nudge.card.buttons] == ["edit", "cancel"]
    assert sweep(app, START + timedelta(minutes=6)) == [] and sweep(app, START + timedelta(days=3)) == []
    assert queued_nudges(app) == 1
    assert draft_of(app).nudged_at == START + timedelta(minutes=5)  # type: ignore[union-attr]


def test_any_other_form_is_nudged_after_a_business_hour_with_its_review_card(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = app_at(database_url, START, lines)
    run_steps(app, [say(ALICE, PUMPS)])
    assert draft_of(app).state == "review"  # type: ignore[union-attr]
    assert sweep(app, START + timedelta(minutes=59)) == []
    [nudge] = sweep(app, START + timedelta(hours=1))
    assert nudge.text.startswith("Your purchase requisition (item monitors, quantity 3) isn't sent yet")
    assert nudge.text.endswith("it only needs Confirm. Press Confirm to submit it, or Edit to change it.")
    assert nudge.card is not None and [b.action for b in nudge.card.buttons] == ["confirm", "edit", "cancel"]
    app.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    run_steps(app, [press(ALICE, "confirm")])  # one press on the nudge's card submits it
    with app.db.transaction() as session:
        assert [r.ref for r in session.scalars(select(Request))] == ["REQ-1001"]


def test_a_form_left_on_friday_evening_is_nudged_on_monday_morning(database_url: str) -> None:
    friday = datetime(2026, 12, 4, 17, 30, tzinfo=NEW_YORK)
    app = app_at(database_url, friday)
    run_steps(app, [say(ALICE, HEATER)])  # a normal work order: one business hour
    for quiet in (
        friday + timedelta(hours=1),  # 18:30, not a business hour
        datetime(2026, 12, 5, 10, 0, tzinfo=NEW_YORK),  # Saturday
        datetime(2026, 12, 7, 8, 59, tzinfo=NEW_YORK),  # Monday, 59 business minutes
    ):
        assert sweep(app, quiet) == [], quiet
    [nudge] = sweep(app, datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK))
    assert nudge.text.startswith("Your facilities work order (location 3B, issue HVAC) isn't sent yet")


def test_no_nudge_while_the_person_keeps_writing(database_url: str) -> None:
    app = app_at(database_url, START)
    run_steps(app, [say(ALICE, FLOOD)])
    app.clock.advance(timedelta(minutes=4))  # type: ignore[attr-defined]
    run_steps(app, [say(ALICE, "did someone pick this up yet?")])  # a question, not the description
    assert sweep(app, START + timedelta(minutes=5)) == []  # the clock runs from her last message
    assert sweep(app, START + timedelta(minutes=8, seconds=59)) == []
    assert len(sweep(app, START + timedelta(minutes=9))) == 1
    app.clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
    run_steps(app, [say(ALICE, "it's coming from under the sink")])  # an edit does not re-arm it
    assert sweep(app, START + timedelta(days=1)) == []


def test_a_person_who_writes_as_the_nudge_is_decided_is_not_nudged(database_url: str) -> None:
    """The nudge is recorded only while the draft's last activity is the one it was decided on."""
    app = app_at(database_url, START)
    run_steps(app, [say(ALICE, FLOOD)])
    with app.db.transaction() as session:
        [draft] = nudges.candidates(session, START, START - timedelta(days=1), 10, skip_locked=False)
        session.expunge(draft)
    with app.db.transaction() as session:  # she writes meanwhile
        session.execute(update(Draft).values(updated_at=START + timedelta(minutes=3)))
    with app.db.transaction() as session:
        assert nudges.mark(session, draft, START + timedelta(minutes=5)) is False
    assert draft_of(app).nudged_at is None  # type: ignore[union-attr]


def test_closed_set_aside_idle_and_asked_forms_are_not_nudged(database_url: str) -> None:
    app = app_at(database_url, START)
    run_steps(app, [say(ALICE, PUMPS), say(ALICE, "cancel")])  # cancelled
    run_steps(app, [say(GEORGE, PUMPS), say(GEORGE, FLOOD)])  # the purchase set aside for a work order
    with app.db.transaction() as session:
        for n, (type_id, asked) in enumerate([(None, None), ("purchase_requisition", "REQ-1001:1")]):
            session.add(  # an idle place (an offer waiting), and an approver's question waiting
                Draft(
                    person=ALICE,
                    place=f"local:other{n}:",
                    place_info={"channel": "local", "conversation": f"other{n}"},
                    type_id=type_id,
                    values={},
                    state="idle" if type_id is None else "filling",
                    info_request=asked,
                    version=1,
                    unsure=[],
                    created_at=START,
                    updated_at=START,
                )
            )
    nudged = sweep(app, START + timedelta(days=1))
    assert [(o.to, o.text.split(" isn't")[0]) for o in nudged] == [
        (GEORGE, "Your facilities work order (location 4W dirty utility room, issue plumbing)")
    ]
    assert queued_nudges(app) == 1


def test_two_replicas_sweeping_at_once_nudge_each_form_once(database_url: str) -> None:
    """Two Front Door processes on one database sweep at the same moments: each of 30 open forms
    (in 30 threads of a channel) is nudged once."""
    first = app_at(database_url, START)
    with first.db.transaction() as session:
        for n in range(30):
            place = {"channel": "local", "conversation": "#ops", "thread": f"t{n}", "direct": False}
            session.add(
                Draft(
                    person=ALICE,
                    place=f"local:#ops:t{n}",
                    place_info=place,
                    type_id="facilities_work_order",
                    values={"location": f"room {n}", "issue_type": "plumbing", "priority": "urgent"},
                    pending_field="description",
                    state="filling",
                    version=1,
                    unsure=[],
                    created_at=START,
                    updated_at=START,
                )
            )
    replicas = [first, app_at(database_url, START)]
    for replica in replicas:
        replica.sweeper.batch = 7
    barrier = threading.Barrier(2)
    heard: list[list[Outgoing]] = [[], []]
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            for minute in range(4, 9):
                barrier.wait()
                heard[n].extend(sweep(replicas[n], START + timedelta(minutes=minute)))
        except BaseException as exc:  # pragma: no cover - reported below
            barrier.abort()
            failures.append(exc)

    if database_url.startswith("sqlite"):  # one writer at a time: the sweeps take turns
        for minute in range(4, 9):
            for n in range(2):
                heard[n].extend(sweep(replicas[n], START + timedelta(minutes=minute)))
    else:
        threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not failures
    places = sorted(o.place.thread for o in heard[0] + heard[1] if o.place is not None and o.place.thread)
    assert places == sorted(f"t{n}" for n in range(30))  # each thread once, in its own thread
    assert queued_nudges(first) == 30


def test_the_urgent_threshold_is_a_setting(database_url: str) -> None:
    heard: list[dict[str, Any]] = []
    app = App(
        load_settings(database_url=database_url, nudge_urgent_minutes=2.5),
        clock=ManualClock(START),
        channels={"local": LocalChannel(heard.append)},
        parser=NudgeParser(),
    )
    app.migrate()
    run_steps(app, [say(ALICE, FLOOD)])
    assert sweep(app, START + timedelta(minutes=2)) == []
    assert len(sweep(app, START + timedelta(minutes=2, seconds=30))) == 1
