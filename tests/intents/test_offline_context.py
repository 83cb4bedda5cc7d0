"""The offline parser in a conversation: follow-ups, corrections, ambiguity, new types."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest

from bot.directory import load_directory
from forms import DEFAULT_CATALOG, AmbiguousValue, load_catalog
from intents.base import ParseContext, Proposal
from intents.offline import OfflineParser

NOW = datetime(2026, 11, 23, 10, 0)
DRAFT = {"item_description": "monitors", "quantity": 3, "estimated_cost": 900}


@pytest.fixture(scope="module")
def parser() -> OfflineParser:
    return OfflineParser(load_catalog(), load_directory())


def follow(
    parser: OfflineParser,
    text: str,
    pending: str | None,
    draft: dict[str, Any] | None = None,
    type_id: str = "purchase_requisition",
) -> Proposal:
    context = ParseContext(
        now=NOW,
        requester="alice.nguyen@example.org",
        draft_type=type_id,
        draft_values=draft if draft is not None else dict(DRAFT),
        pending_field=pending,
    )
    return parser.parse(text, context)


@pytest.mark.parametrize(
    ("text", "pending", "expected"),
    [
        ("4", "quantity", {"quantity": 4}),
        ("four", "quantity", {"quantity": 4}),
        ("next friday", "needed_by", {"needed_by": "2026-11-27"}),
        ("4410", "cost_center", {"cost_center": "CC-4410"}),
        ("it's cc 4410", "cost_center", {"cost_center": "CC-4410"}),
        ("about 1200", "estimated_cost", {"estimated_cost": 1200}),
        ("Medline", "vendor_name", {"vendor_name": "Medline"}),
        ("the old ones are broken", "justification", {"justification": "the old ones are broken"}),
    ],
)
def test_answers_to_the_pending_field(parser: OfflineParser, text: str, pending: str, expected: dict[str, Any]) -> None:
    result = follow(parser, text, pending)
    assert result.intent == "purchase_requisition"
    assert result.slots == expected


def test_answer_for_another_type(parser: OfflineParser) -> None:
    result = follow(parser, "Kronos", "system", {}, "access_request")
    assert result.intent == "access_request" and result.slots == {"system": "Kronos"}
    level = follow(parser, "read only please", "access_level", {"system": "Kronos"}, "access_request")
    assert level.slots == {"access_level": "read"}
    me = follow(parser, "me", "for_user", {"system": "Kronos"}, "access_request")
    assert me.slots == {"for_user": "alice.nguyen@example.org"}


def test_corrections(parser: OfflineParser) -> None:
    assert follow(parser, "actually make it 4", "cost_center").slots == {"quantity": 4}
    assert follow(parser, "change the quantity to 5", "cost_center").slots == {"quantity": 5}
    assert follow(parser, "cost center should be 4420", None).slots == {"cost_center": "CC-4420"}
    assert follow(parser, "needed by should be Dec 20", "cost_center").slots == {"needed_by": "2026-12-20"}


def test_missing_counts_the_draft(parser: OfflineParser) -> None:
    result = follow(parser, "cc 4410", "cost_center")
    assert result.missing == []
    assert follow(parser, "hmm", "cost_center", {}).missing == [
        "item_description",
        "quantity",
        "estimated_cost",
        "cost_center",
    ]


def test_conversation_intents_leave_the_draft(parser: OfflineParser) -> None:
    assert follow(parser, "never mind, cancel it", "quantity").intent == "cancel"
    assert follow(parser, "help", "quantity").intent == "help"
    assert follow(parser, "what's the status of REQ-1042?", "quantity").intent == "check_status"
    assert follow(parser, "what do I need to approve?", "quantity").intent == "list_approvals"


def test_a_new_request_inside_a_draft(parser: OfflineParser) -> None:
    result = follow(
        parser, "Please add a new vendor, Acme Medical Supply, EIN 12-3456789, contact orders@acme.com", "quantity"
    )
    assert result.intent == "vendor_onboarding"


class TwoEmmas:
    """A directory where a first name fits two people."""

    people: ClassVar[dict[str, str]] = {
        "Emma Wilson": "emma.wilson@example.org",
        "Emma Stone": "emma.stone@example.org",
        "George Hall": "george.hall@example.org",
    }

    def resolve(self, text: str) -> str:
        if "@" in text:
            return text.lower()
        hits = [e for n, e in self.people.items() if text.lower() in (n.lower(), n.split()[0].lower())]
        if len(hits) > 1:
            raise AmbiguousValue("person", f"{text!r} matches several people", sorted(hits))
        if not hits:
            raise LookupError(text)
        return hits[0]

    def known_names(self) -> Iterable[tuple[str, str]]:
        return self.people.items()


def test_ambiguous_people_are_not_guessed() -> None:
    parser = OfflineParser(load_catalog(), TwoEmmas())
    result = parser.parse("Please promote Emma to Lab Lead effective Jan 1", ParseContext(now=NOW))
    assert result.intent == "employee_change"
    assert "employee" not in result.slots
    assert "emma.wilson@example.org" in result.errors["employee"]
    sure = parser.parse("Please promote Emma Stone to Lab Lead effective Jan 1", ParseContext(now=NOW))
    assert sure.slots["employee"] == "emma.stone@example.org"


def test_people_from_the_context_directory() -> None:
    parser = OfflineParser(load_catalog())
    context = ParseContext(now=NOW, people=load_directory())
    assert parser.parse("give George Hall read access to Epic", context).slots["for_user"] == "george.hall@example.org"
    assert "for_user" not in parser.parse("give George Hall read access to Epic", ParseContext(now=NOW)).slots


NEW_TYPE = """
id: badge_request
title: Badge request
description: A new or replacement ID badge.
keywords: [badge, id badge, badge replacement, lost badge]
fields:
  - {name: badge_holder, kind: person, required: true, label: Badge holder}
  - name: reason
    kind: enum
    required: true
    label: Reason
    choices:
      - {id: lost, synonyms: [lost, missing, misplaced]}
      - {id: damaged, synonyms: [broken, cracked, damaged]}
      - {id: new, synonyms: [new hire, first badge]}
examples:
  - I lost my ID badge and need a replacement
  - my badge is cracked, can I get a new one printed
  - badge request for a new hire
  - need a replacement badge, mine stopped working at the doors
  - please print a new ID badge for emma.wilson
"""


def test_a_new_request_type_is_learnt_from_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(DEFAULT_CATALOG, folder)
    (folder / "badge_request.yaml").write_text(NEW_TYPE, encoding="utf-8")
    parser = OfflineParser(load_catalog(folder), load_directory())
    result = parser.parse("I misplaced my badge, can I get a replacement badge printed?", ParseContext(now=NOW))
    assert result.intent == "badge_request"
    assert result.slots == {"reason": "lost"}
    assert result.missing == ["badge_holder"]
    other = parser.parse("give George Hall read access to Epic", ParseContext(now=NOW))
    assert other.intent == "access_request"


def test_the_trained_model_is_kept_on_disk_for_the_next_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import intents.offline.classifier.intent
    from intents.offline.classifier import cache as offline_cache
    from intents.offline.classifier.model import train
    from intents.offline.classifier.training import training_examples

    monkeypatch.setenv("FRONTDOOR_MODEL_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(intents.offline.classifier.intent, "_MODELS", {})
    catalog = load_catalog()
    first = OfflineParser(catalog, load_directory())
    first.warm()
    (saved,) = (tmp_path / "cache").glob("intent-model-*.json")
    monkeypatch.setattr(intents.offline.classifier.intent, "_MODELS", {})  # a new process
    calls: list[int] = []
    monkeypatch.setattr(intents.offline.classifier.intent, "train", lambda examples: calls.append(1) or train(examples))
    second = OfflineParser(catalog, load_directory())
    assert second.intents.model == first.intents.model and calls == []
    text = "the sink in the 2nd floor break room is leaking"
    assert second.intents.read(text) == first.intents.read(text)

    saved.write_text('{"key": "damaged', encoding="utf-8")  # a damaged file: trained again, and rewritten
    monkeypatch.setattr(intents.offline.classifier.intent, "_MODELS", {})
    assert OfflineParser(catalog, load_directory()).intents.model == first.intents.model and calls == [1]
    assert offline_cache.load(saved.stem.removeprefix("intent-model-")) == first.intents.model

    other = training_examples(catalog)[1:]  # other training data: another file
    assert offline_cache.digest(other) != offline_cache.digest(training_examples(catalog))


def test_the_model_cache_can_be_off_or_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import intents.offline.classifier.intent
    from intents.offline.classifier import cache as offline_cache

    monkeypatch.setenv("FRONTDOOR_MODEL_CACHE", "off")
    assert offline_cache.folder() is None
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("FRONTDOOR_MODEL_CACHE", str(blocker / "cache"))
    monkeypatch.setattr(intents.offline.classifier.intent, "_MODELS", {})
    parser = OfflineParser(load_catalog(), load_directory())
    assert parser.parse("status of REQ-1042", ParseContext(now=datetime(2026, 11, 23))).intent == "check_status"
    assert parser.intents.read("the AC is broken in room 3B").intent == "facilities_work_order"


def test_an_answer_with_protected_data_is_refused_not_proposed(parser: OfflineParser) -> None:
    draft = {"location": "4 West", "issue_type": "other"}
    result = parser.parse(
        "patient John Smith in bed 4 broke the TV mount",
        ParseContext(
            now=datetime(2026, 11, 23, 10),
            draft_type="facilities_work_order",
            draft_values=draft,
            pending_field="description",
        ),
    )
    assert "description" not in result.slots and "John Smith" not in result.model_dump_json()
    assert result.errors["description"] == "Description must not contain a patient's name; please leave it out."
    place = parser.parse(
        "the sink in the room of patient Mary Jones is leaking", ParseContext(now=datetime(2026, 11, 23))
    )
    assert "location" not in place.slots and "Mary Jones" not in json.dumps(place.slots)
    assert place.errors["location"] == "Location must not contain a patient's name; please leave it out."
