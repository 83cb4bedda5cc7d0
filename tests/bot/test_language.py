"""Replies in the person's language: a Spanish writer is answered in Spanish, remembered for what
is sent to them later; everyone else keeps their own language; rooms speak the organisation's.

The suite runs with `bot.core.turn.STRICT_LANGUAGE` on (tests/conftest.py): any notice composed in
one person's language for another fails the test that sends it.
"""

from __future__ import annotations

from typing import Any

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.events import Action, ActionName, Message, Place
from bot.core.replies import Outgoing, OutKind
from bot.settings import load_settings
from bot.store import people
from forms.language import detect
from tests.bot.helpers import START

ALICE, BOB, FRANK = (f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "frank.ito"))
SPANISH_BUY = "Necesito comprar 3 monitores para el centro de costos 4410, unos 7.500 dólares, por favor"
ENGLISH_BUY = "we need 3 monitors for cost center 4410, about $7,500"


def _app(database_url: str, **settings: Any) -> App:
    app = App(load_settings(database_url=database_url, **settings), clock=ManualClock(START), channels={})
    app.migrate()
    return app


def _place(person: str) -> Place:
    return Place("local", person)


def _say(app: App, person: str, text: str) -> list[Outgoing]:
    return app.engine.handle(Message(person, _place(person), text))


def _press(app: App, person: str, action: ActionName, **kw: Any) -> list[Outgoing]:
    return app.engine.handle(Action(person, _place(person), action, **kw))


def _review(out: list[Outgoing]) -> Outgoing:
    return next(o for o in out if o.card is not None and o.card.kind == "review")


def _submit(app: App, person: str, text: str) -> list[Outgoing]:
    card = _review(_say(app, person, text)).card
    assert card is not None
    return _press(app, person, ActionName.CONFIRM, **{k: card.buttons[0].payload[k] for k in ("draft", "version")})


def test_a_spanish_request_is_answered_in_spanish_and_its_approver_keeps_english(database_url: str) -> None:
    app = _app(database_url)
    review = _review(_say(app, ALICE, SPANISH_BUY))
    assert review.card is not None
    assert detect(review.text) == "es", review.text
    assert [b.label for b in review.card.buttons] == ["Confirmar", "Editar", "Cancelar"]
    assert "Centro de costos" in review.card.fields  # the catalog's labels, in Spanish

    card = review.card
    out = _press(
        app,
        ALICE,
        ActionName.CONFIRM,
        draft=card.buttons[0].payload["draft"],
        version=card.buttons[0].payload["version"],
    )
    told = next(o for o in out if o.to == ALICE and o.kind is OutKind.REPLY)
    assert told.text.startswith("Enviada REQ-1001") or detect(told.text) == "es", told.text
    to_bob = next(o for o in out if o.to == BOB and o.kind is OutKind.CARD)
    assert to_bob.card is not None
    assert [b.label for b in to_bob.card.buttons][:3] == ["Approve", "Reject", "Request info"]
    assert to_bob.text == "Alice Nguyen asks for approval of REQ-1001 (Purchase requisition)."

    decided = _press(app, BOB, ActionName.APPROVE, request="REQ-1001", step=1)
    notice = next(o for o in decided if o.to == ALICE and o.kind is OutKind.NOTICE)
    assert notice.text.startswith("Bob Martin") and detect(notice.text) == "es", notice.text
    assert "Bob Martin approved" not in notice.text
    bob_card = next(o for o in decided if o.kind is OutKind.CARD_UPDATE and o.to == BOB)
    assert bob_card.text.startswith("Approved by Bob Martin")


def test_an_approver_who_writes_spanish_gets_spanish_cards_and_buttons(database_url: str) -> None:
    app = _app(database_url)
    _say(app, BOB, "Hola, buenos días, ¿qué puedo pedir aquí?")
    out = _submit(app, ALICE, ENGLISH_BUY)
    told = next(o for o in out if o.to == ALICE and o.kind is OutKind.REPLY)
    assert told.text.startswith("Submitted REQ-1001 (Purchase requisition).")
    to_bob = next(o for o in out if o.to == BOB and o.kind is OutKind.CARD)
    assert to_bob.card is not None
    assert [b.label for b in to_bob.card.buttons][:3] == ["Aprobar", "Rechazar", "Pedir información"]
    assert detect(to_bob.text) == "es", to_bob.text

    rejected = _press(app, BOB, ActionName.REJECT, request="REQ-1001", step=1, comment="no hay presupuesto")
    notice = next(o for o in rejected if o.to == ALICE and o.kind is OutKind.NOTICE)
    assert notice.text == "Bob Martin rejected REQ-1001. Reason: no hay presupuesto"


def test_the_language_is_remembered_until_the_person_writes_another(database_url: str) -> None:
    app = _app(database_url)
    _say(app, ALICE, "hola, necesito ayuda con una compra")
    with app.db.transaction() as session:
        assert people.language_of(session, ALICE) == "es"
    out = _say(app, ALICE, "REQ-1001")  # nothing to tell: Spanish stands
    assert all(detect(o.text) != "en" for o in out), [o.text for o in out]
    _say(app, ALICE, "thanks, I need help with a purchase please")
    with app.db.transaction() as session:
        assert people.language_of(session, ALICE) == "en"


def test_rooms_speak_the_organisations_language(database_url: str) -> None:
    app = _app(database_url, language="es")
    out = _submit(app, ALICE, ENGLISH_BUY)  # Alice wrote English: she is answered in English
    told = next(o for o in out if o.to == ALICE and o.kind is OutKind.REPLY)
    assert told.text.startswith("Submitted REQ-1001")
    decided = _press(app, BOB, ActionName.APPROVE, request="REQ-1001", step=1)
    room = next(o for o in decided if o.to == "#approvals-finance" and o.kind is OutKind.CARD)
    assert room.card is not None
    assert [b.label for b in room.card.buttons][:2] == ["Aprobar", "Rechazar"]
