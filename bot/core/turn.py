"""A turn: one event handled in one transaction, collecting what to send."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.events import Place
from bot.core.limits import MESSAGE_CHARS
from bot.core.messages import moment
from bot.core.replies import Outgoing, OutKind
from bot.directory import Directory
from bot.store import people
from bot.store.repo import Session
from forms import Catalog, language
from forms.language import ENGLISH
from intents.base import ParseContext, Parser, Proposal
from intents.redact import Redactor

STRICT_LANGUAGE = os.environ.get("FRONTDOOR_TEST_STRICT_LANGUAGE") == "1"
"""Refuse to send a person words composed in another language than theirs: the test suite turns it
on (here, and in the processes it starts), so a notice composed outside `Turn.speaking_to` fails
the test that sends it."""

Deadlines = Callable[[datetime, float, str | None, str | None], tuple[datetime, datetime, datetime]]
"""(start, SLA hours, approver, role) → due times at 50 %, 100 % and 150 %."""


def wall_clock_deadlines(
    start: datetime, hours: float, _approver: str | None, _role: str | None
) -> tuple[datetime, datetime, datetime]:
    return start + timedelta(hours=hours * 0.5), start + timedelta(hours=hours), start + timedelta(hours=hours * 1.5)


@dataclass
class Services:
    """What the engine works with; built once by the composition root."""

    catalog: Catalog
    directory: Directory
    parser: Parser
    timezone: str = "America/New_York"
    deadlines: Deadlines = wall_clock_deadlines
    fill_threshold: float = 0.8
    """Values proposed with less confidence are shown for review marked "please check"."""
    clinical_resource: str = ""
    """Where a clinical question is pointed (FRONTDOOR_CLINICAL_RESOURCE)."""
    help_contact: str = ""
    """Whom people ask for help with Front Door itself (FRONTDOOR_HELP_CONTACT): someone missing
    from the directory, or asking for a person with no request in view."""
    max_message_chars: int = MESSAGE_CHARS
    """A longer message is answered with what to shorten, and not read (see `bot.core.limits`)."""
    room_reachable: Callable[[str], bool] = field(default=lambda room: True)
    """Whether a role's approvals room (`#approvals-finance`) reaches people on the chat platforms
    running; when not, its cards go to the role's holders directly (set by the composition root)."""
    escalation_fallback: str | None = None
    """Who escalations go to when the approver (or the role) has no manager (FRONTDOOR_ESCALATION_FALLBACK)."""
    language: str = ENGLISH
    """What rooms are spoken to in, and people whose language is not known yet (FRONTDOOR_LANGUAGE)."""
    _redactor: tuple[Directory, Redactor] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def redactor(self) -> Redactor:
        """The redactor that knows the directory (`Redactor.for_people`): its people's names are
        never taken for patients'. Built once per directory."""
        kept = self._redactor
        if kept is None or kept[0] is not self.directory:
            kept = self._redactor = (self.directory, Redactor.for_people(self.directory))
        return kept[1]

    @property
    def text_guard(self) -> Callable[[str], str | None]:
        """The fields' protected-data check (`phi_reason`, knowing the directory's people)."""
        return self.redactor.reason


@dataclass(frozen=True)
class Parsed:
    """A message's proposal, read outside any transaction, and the context it was read against."""

    text: str
    context: ParseContext
    proposal: Proposal


@dataclass
class Turn:
    """The session, the instant, and the replies of one event."""

    session: Session
    now: datetime
    services: Services
    source: dict[str, Any] = field(default_factory=dict)
    out: list[Outgoing] = field(default_factory=list)
    parsed: Parsed | None = None
    """The message read ahead of the transaction, if it was (see `Engine.parse_ahead`)."""
    backend: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    """Messages for the backend (key, idempotency key, payload), written to the outbox with the
    chat messages at the end of the turn, in its transaction."""

    def send(self, outgoing: Outgoing) -> None:
        if STRICT_LANGUAGE and outgoing.kind is not OutKind.CARD_UPDATE:
            spoken, theirs = language.current(), self.language_of(outgoing.to)
            if spoken != theirs:
                raise AssertionError(
                    f"{outgoing.kind} to {outgoing.to} said in {spoken}, not {theirs}: {outgoing.text}"
                )
        self.out.append(outgoing)

    def language_of(self, to: str) -> str:
        """The language `to` is spoken to in: a person's own (the last they wrote in), a room's
        the organisation's (`Services.language`)."""
        if to.startswith("#"):
            return self.services.language
        return people.language_of(self.session, to) or self.services.language

    def speaking_to(self, to: str) -> AbstractContextManager[str]:
        """Speak `to`'s language for the block: around what is composed for someone else."""
        return language.speaking(self.language_of(to))

    def notify(
        self, to: str, sentence: str, request: str | None = None, place: Place | None = None, **values: Any
    ) -> None:
        """News for `to`: the catalogue `sentence` filled with `values` in `to`'s language. Values
        that are themselves words to translate (a catalogue sentence, a title) are said in it too;
        compose anything longer inside `speaking_to`."""
        with self.speaking_to(to):
            self.send(Outgoing.notice(to, sentence.format(**values), request, place=place))

    def heard(self, person: str, text: str) -> str:
        """The language `person` wrote `text` in (remembered when it tells), else theirs."""
        said = language.detect(text)
        if said is not None:
            people.remember(self.session, person, said, self.now)
            return said
        return self.language_of(person)

    def tell_backend(self, key: str, idempotency_key: str, payload: dict[str, Any]) -> None:
        self.backend.append((key, idempotency_key, payload))

    @property
    def local_now(self) -> datetime:
        """The organisation's wall time, naive (what the parser resolves dates against)."""
        return self.now.astimezone(self.services.zone).replace(tzinfo=None)

    def when(self, at: datetime | None) -> str:
        """An instant as people read it, in the organisation's zone."""
        if at is None:
            return "—"
        return moment(at.astimezone(self.services.zone))  # in the words of the language being spoken
