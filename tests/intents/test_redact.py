"""Protected data: redacted before the model and the logs, restored in process, refused in fields."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.directory import Directory, load_directory
from forms import Catalog, FieldError, NormalizeContext, load_catalog, normalize
from forms.kinds import TEXT
from intents.base import ParseContext
from intents.llm import LLMParser
from intents.offline import OfflineParser
from intents.redact import REASONS, RedactingFilter, Redactor, clean, loggable, phi_reason, restore
from tests.conftest import DATA_DIR, needs_shared
from tests.fakes.openai_server import FakeOpenAI, Reply, tool_call

DATA = Path(__file__).parent / "data"
DEV_SET = DATA_DIR / "intents-dev.jsonl"
PHI = [json.loads(line) for line in (DATA / "phi_messages.jsonl").read_text(encoding="utf-8").splitlines() if line]
BUSINESS = [json.loads(line) for line in (DATA / "phi_business.jsonl").read_text(encoding="utf-8").splitlines() if line]
KINDS = {"SSN", "MRN", "DOB", "PATIENT", "PHONE", "MEMBER"}
"""The kinds phi_messages.jsonl covers; tests/intents/test_redact_corpus.py covers the others."""


def secrets_of(case: dict[str, Any]) -> list[str]:
    """Each secret as written and in its cleaned form (the corpus has Unicode dashes)."""
    return [form for s in case["secrets"] for form in {s, clean(s)}]


def test_the_corpus_covers_every_kind() -> None:
    assert len(PHI) >= 30
    assert {k for case in PHI for k in case["kinds"]} == KINDS
    assert (
        KINDS < set(REASONS) == {"SSN", "MRN", "DOB", "PATIENT", "MEMBER", "CARD", "BANK", "ADDRESS", "EMAIL", "PHONE"}
    )


@pytest.mark.parametrize("case", PHI, ids=lambda c: c["text"][:40])
def test_every_secret_is_redacted_and_business_values_kept(case: dict[str, Any]) -> None:
    redacted = Redactor().redact(case["text"])
    for secret in secrets_of(case):
        assert secret not in redacted.text
    for kept in case["keep"]:
        assert kept in redacted.text
    assert redacted.kinds == set(case["kinds"])
    assert restore(redacted.text, redacted.mapping) == clean(case["text"])


@pytest.mark.parametrize("case", BUSINESS, ids=lambda c: c["text"][:40])
def test_business_values_are_not_redacted(case: dict[str, Any]) -> None:
    redacted = Redactor().redact(case["text"])
    assert redacted.text == case["text"] and redacted.mapping == {}
    assert phi_reason(case["text"]) is None


@needs_shared(DEV_SET)
def test_the_development_set_is_left_untouched() -> None:
    changed = []
    for line in DEV_SET.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        if Redactor().redact(text).mapping:
            changed.append(text)
    assert changed == []


def test_an_ein_is_not_an_ssn_and_only_birth_dates_are_dobs() -> None:
    assert Redactor().redact("EIN 12-3456789, due 12/01/2026 and 2026-12-01").mapping == {}
    assert Redactor().redact("SSN 123-45-6789").text == "SSN [SSN_1]"
    assert Redactor().redact("DOB 3/4/1961, ship by 3/4/2027").text == "DOB [DOB_1], ship by 3/4/2027"


def test_placeholders_are_stable_and_numbering_continues() -> None:
    first = Redactor().redact("patient John Smith, then patient John Smith again, MRN 1234567")
    assert first.text == "patient [PATIENT_1], then patient [PATIENT_1] again, MRN [MRN_1]"
    second = Redactor().redact("pt. Mary Jones and MRN 1234567", first.mapping)
    assert second.text == "pt. [PATIENT_2] and MRN [MRN_1]"
    assert restore("for [PATIENT_2] and [PATIENT_9]", second.mapping) == "for Mary Jones and [PATIENT_9]"
    assert restore(42, second.mapping) == 42


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("SSN 123-45-6789", "a social security number"),
        ("MRN: 00123456", "a medical record number"),
        ("born 03/04/1961", "a date of birth"),
        ("for patient John Smith", "a patient's name"),
        ("member ID ABC123456", "a member or account id"),
        ("see [SSN_1]", "protected data that was removed"),
        ("call me at 617-555-0100", None),
        ("write to jsmith1961@gmail.com", None),
        ("la paciente María Fernández", "a patient's name"),
        ("MR# SMH-0045821", "a medical record number"),
        ("nacido el 3 de marzo de 1961", "a date of birth"),
        ("card 4111 1111 1111 1111", "a payment card number"),
        ("routing 021000021", "a bank account or routing number"),
        ("the patient lives at 12 Elm Street", "a home address"),
        ("CC-4410, EIN 12-3456789, PO-104233, $900, Dec 1", None),
    ],
)
def test_phi_reason(text: str, reason: str | None) -> None:
    assert phi_reason(text) == reason


def test_every_text_field_refuses_protected_data_through_the_text_guard() -> None:
    catalog = load_catalog()
    ctx = NormalizeContext(today=date(2026, 11, 23), text_guard=phi_reason)
    text_fields = [f for spec in catalog.types.values() for f in spec.fields if f.kind == TEXT]
    assert text_fields
    for spec in text_fields:
        with pytest.raises(FieldError) as refused:
            normalize(spec, "replace the TV for patient Mary Jones", ctx)
        assert refused.value.message == f"{spec.display} must not contain a patient's name; please leave it out."
        assert normalize(spec, "replace the TV in room 412", ctx) == "replace the TV in room 412"


def test_loggable() -> None:
    assert loggable("SSN 123-45-6789 please", debug=False) == "<22 chars>"
    assert loggable("SSN 123-45-6789 please", debug=True) == "SSN [SSN_1] please"


def test_the_logging_filter_redacts_messages_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    caplog.handler.addFilter(RedactingFilter())
    log = logging.getLogger("frontdoor.test")
    with caplog.at_level(logging.INFO, logger="frontdoor.test"):
        log.info("message from %s: %s", "alice", "patient John Smith, MRN 1234567")
        try:
            raise ValueError("bad DOB 3/4/1961")
        except ValueError:
            log.exception("failed for SSN 123-45-6789")
    assert "message from alice: patient [PATIENT_1], MRN [MRN_1]" in caplog.text
    for secret in ("John Smith", "1234567", "3/4/1961", "123-45-6789"):
        assert secret not in caplog.text
    assert "bad DOB [DOB_1]" in caplog.text


# -- through the LLM parser and the real OpenAI client -------------------------------------


@pytest.fixture(scope="module")
def directory() -> Directory:
    return load_directory()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _copying(body: dict[str, Any]) -> Reply:
    """A model that copies every placeholder it was sent into a description field."""
    user = body["messages"][-1]["content"]
    placeholders = " ".join(re.findall(r"\[[A-Z]+_\d+\]", user))
    slots = {"description": f"see {placeholders}", "location": "4 West"}
    return tool_call("read_request", {"intent": "facilities_work_order", "confidence": 0.8, "slots": slots})


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    with FakeOpenAI(responder=_copying) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-local-test")
        yield fake


@pytest.fixture
def llm(server: FakeOpenAI, catalog: Catalog, directory: Directory) -> LLMParser:
    offline = OfflineParser(catalog, directory)
    return LLMParser(
        catalog, directory, model_spec="openai:gpt-4.1-mini", fallback=offline, timeout=2.0, debug_log_text=True
    )


def test_no_secret_reaches_the_provider_or_the_logs(
    llm: LLMParser, server: FakeOpenAI, directory: Directory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for number, case in enumerate(PHI):
        caplog.clear()
        draft = {"description": "x", "location": case["text"]}  # even a draft value is redacted
        ctx = ParseContext(
            now=datetime(2026, 11, 23, 10),
            requester="alice.nguyen@example.org",
            people=directory,
            draft_type="facilities_work_order",
            draft_values=draft,
        )
        llm.parse(case["text"], ctx)
        sent = json.dumps(server.bodies[number], ensure_ascii=False)
        assert "llm parse: " in caplog.text and "POST" in caplog.text  # our log and the client's
        for secret in secrets_of(case):
            assert secret not in sent, secret
            assert secret not in caplog.text, secret
    assert len(server.bodies) == len(PHI)


def test_copied_placeholders_are_restored_then_refused_or_kept(llm: LLMParser, directory: Directory) -> None:
    ctx = ParseContext(now=datetime(2026, 11, 23, 10), requester="alice.nguyen@example.org", people=directory)
    refused = llm.parse("the TV of patient John Smith in 4 West is broken", ctx)
    assert "description" not in refused.slots
    assert refused.errors["description"] == "Description must not contain a patient's name; please leave it out."
    kept = llm.parse("the sink in 4 West leaks, call me at 617-555-0100", ctx)
    assert kept.slots["description"] == "see 617-555-0100"  # a phone number is restored and allowed


# -- through the engine: every field refuses protected data with its own message ----------


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("SSN 123-45-6789", "a social security number"),
        ("MRN 00123456", "a medical record number"),
        ("DOB 3/4/1961", "a date of birth"),
        ("it is for patient John Smith", "a patient's name"),
        ("member ID ABC1234567", "a member or account id"),
    ],
)
def test_a_reply_with_protected_data_is_refused_by_the_field_it_answers(
    reply: str, reason: str, tmp_path: Path, catalog: Catalog, directory: Directory
) -> None:
    from bot.app import App
    from bot.channels.local.channel import LocalChannel
    from bot.core.clock import ManualClock
    from bot.settings import load_settings
    from tests.bot.helpers import START, run_steps

    lines: list[dict[str, Any]] = []
    app = App(
        load_settings(database_url=f"sqlite:///{tmp_path / 'fd.db'}"),
        clock=ManualClock(START),
        channels={"local": LocalChannel(lines.append)},
        parser=OfflineParser(catalog, directory),
    )
    app.migrate()
    alice = "alice.nguyen@example.org"
    run_steps(
        app,
        [
            json.dumps({"as": alice, "say": "I need 2 monitors for CC-4410"}),  # asks for the cost
            json.dumps({"as": alice, "say": reply}),
        ],
    )
    last = lines[-1]["text"]
    assert f"Estimated cost must not contain {reason}; please leave it out." in last
    secret = reply.split(maxsplit=2)[-1] if "patient" not in reply else "John Smith"
    assert secret not in json.dumps(lines, ensure_ascii=False)


@pytest.mark.parametrize(
    ("reply", "refused"),
    [
        ("Emma Wilson in room 3B needs the printer fixed", None),  # staff in the directory: kept
        ("John Smith in room 3B needs the printer fixed", "a patient's name"),
        ("patient John Smith in room 3B needs the printer fixed", "a patient's name"),
    ],
)
def test_a_field_knows_the_directory_staff_are_kept_and_patients_refused(
    reply: str, refused: str | None, tmp_path: Path
) -> None:
    """The engine's fields check text knowing the directory (`Services.text_guard`): the reply is
    taken whole as the description asked for (a parser that reads nothing in it)."""
    from bot.app import App
    from bot.channels.local.channel import LocalChannel
    from bot.core.clock import ManualClock
    from bot.settings import load_settings
    from intents.base import Proposal
    from tests.bot.helpers import START, KeywordParser, run_steps

    printer = "the printer in 4W is broken"

    class Printer(KeywordParser):
        def parse(self, text: str, context: ParseContext) -> Proposal:
            if text == printer:
                slots = {"location": "4W", "issue_type": "equipment", "priority": "normal"}
                return Proposal(intent="facilities_work_order", confidence=0.95, slots=slots)
            return super().parse(text, context)

    lines: list[dict[str, Any]] = []
    app = App(
        load_settings(database_url=f"sqlite:///{tmp_path / 'fd.db'}"),
        clock=ManualClock(START),
        channels={"local": LocalChannel(lines.append)},
        parser=Printer(),
    )
    app.migrate()
    alice = "alice.nguyen@example.org"
    run_steps(app, [json.dumps({"as": alice, "say": printer})])
    assert lines[-1]["text"].endswith("Describe the problem in a sentence.")
    run_steps(app, [json.dumps({"as": alice, "say": reply})])
    last = lines[-1]
    if refused is None:
        assert last["card"]["title"] == "Review: Facilities work order"
        assert last["card"]["fields"]["Description"] == reply
    else:
        assert f"Description must not contain {refused}; please leave it out." in last["text"]
        assert "John Smith" not in json.dumps(lines, ensure_ascii=False)
    assert phi_reason(reply) == "a patient's name"  # without the directory, every one of them is refused
