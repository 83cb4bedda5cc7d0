"""An identifier kind is data: one declared in a catalog file is read, refused, found and shown
with no code of its own. The shipped identifiers are declared the same way."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.channels.slack import render as slack
from bot.channels.teams import render as teams
from bot.core.cards import form_card, review_card
from bot.core.replies import InputHint
from bot.directory import load_directory
from forms import (
    DEFAULT_CATALOG,
    Catalog,
    CatalogError,
    FieldError,
    FieldSpec,
    NormalizeContext,
    load_catalog,
    normalize,
)
from forms.kinds import PatternKind, standard
from intents.base import ParseContext
from intents.offline import OfflineParser
from intents.prompts import type_line

NOW = datetime(2026, 11, 23, 10, 0)
CTX = NormalizeContext(today=date(2026, 11, 23))

NPI = r"""
identifiers:
  - name: npi_number
    expected: NPI- and ten digits
    example: NPI-1234567893
    accept: '(?i)(?:npi)?\s*[-#:]?\s*(\d{10})'
    canonical: 'NPI-{}'
    find: '(?i)\bnpi\s*(?:[-#:]|no\.?|number|is)?\s*#?\s*(\d{10})\b'
    word: npi
    prompt: 'NPI-##########'
    placeholder: NPI-1234567893
"""

ENROLLMENT = """
id: provider_enrollment
title: Provider enrollment
description: Enroll a provider with a payer.
team: Credentialing
keywords: [npi, provider enrollment, payer enrollment, enroll, enrollment, credentialing]
fields:
  - {name: provider, kind: text, required: true, label: Provider, question: "Which provider?"}
  - {name: npi, kind: npi_number, required: true, label: NPI, question: "What is the provider's NPI?"}
examples:
  - enroll Dr. Patel with Blue Cross, NPI 1234567893
  - provider enrollment for our new hospitalist, npi 1609876543
  - please enroll the new cardiologist with Medicare
  - we need payer enrollment for Dr. Chen, NPI number 1457392841
  - credential and enroll our new nurse practitioner with Aetna
  - add this provider to the Cigna panel, NPI 1023456789
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    folder = tmp_path_factory.mktemp("catalog") / "catalog"
    shutil.copytree(DEFAULT_CATALOG, folder)
    (folder / "npi.yaml").write_text(NPI, encoding="utf-8")
    (folder / "provider_enrollment.yaml").write_text(ENROLLMENT, encoding="utf-8")
    return load_catalog(folder)


def test_a_declared_identifier_normalises_and_refuses_with_its_example(catalog: Catalog) -> None:
    npi = catalog.get("provider_enrollment").field("npi")
    assert isinstance(npi.kind, PatternKind) and npi.kind.name == "npi_number"
    for typed in ("NPI-1234567893", "npi 1234567893", "1234567893", " NPI: 1234567893. "):
        assert normalize(npi, typed, CTX) == "NPI-1234567893"
    with pytest.raises(FieldError, match=r"NPI should be NPI- and ten digits, e\.g\. NPI-1234567893\."):
        normalize(npi, "123456789", CTX)


def test_the_offline_parser_finds_it_in_a_message_and_in_an_answer(catalog: Catalog) -> None:
    parser = OfflineParser(catalog, load_directory())
    first = parser.parse("Please enroll Dr. Lopez with Aetna, her NPI is 1234567893", ParseContext(now=NOW))
    assert first.intent == "provider_enrollment"
    assert first.slots["npi"] == "NPI-1234567893"
    answer = ParseContext(now=NOW, draft_type="provider_enrollment", pending_field="npi")
    assert parser.parse("1609876543", answer).slots == {"npi": "NPI-1609876543"}
    assert "npi" not in parser.parse("it's 12345", answer).slots  # not ten digits: asked again


def test_it_renders_on_cards_and_forms_and_is_described_to_the_model(catalog: Catalog) -> None:
    spec = catalog.get("provider_enrollment")
    values = {"provider": "Dr. Ana Lopez", "npi": "NPI-1234567893"}
    assert review_card(spec, values, 7, 1, None).fields == {"Provider": "Dr. Ana Lopez", "NPI": "NPI-1234567893"}
    form = form_card(spec, {}, 7, 1)
    field = form.form[1]
    assert (field.input, field.placeholder) == (InputHint.TEXT, "NPI-1234567893")
    assert slack.field_element(field) == {"type": "plain_text_input", "action_id": "value"}
    (element,) = [e for e in teams.adaptive_card(form)["body"] if e.get("id") == "npi"]
    assert element["type"] == "Input.Text" and element["placeholder"] == "NPI-1234567893"
    assert type_line(spec).endswith("| provider*, npi*:NPI-##########")


def test_a_catalog_without_the_declaration_does_not_know_the_kind(catalog: Catalog) -> None:
    assert "npi_number" in catalog.kinds and "npi_number" not in load_catalog().kinds
    with pytest.raises(ValidationError, match="unknown field kind 'npi_number'"):
        FieldSpec(name="npi", kind="npi_number")  # type: ignore[arg-type]


def test_the_shipped_identifiers_are_declared_as_data() -> None:
    assert [k.name for k in standard().identifiers] == [
        "cost_center",
        "tax_id",
        "po_number",
        "invoice_number",
        "asset_tag",
    ]
    assert [k.name for k in load_catalog().kinds.identifiers] == [k.name for k in standard().identifiers]


def _catalog(tmp_path: Path, identifiers: str, kind: str = "npi_number") -> Path:
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "ids.yaml").write_text(identifiers, encoding="utf-8")
    (folder / "thing.yaml").write_text(
        f"id: thing\ntitle: Thing\ndescription: A thing.\nfields:\n  - {{name: code, kind: {kind}}}\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("(\\d{10})'", "(\\d{10}'"), "accept"),
        (("canonical: 'NPI-{}'", "canonical: 'NPI-{}-{}'"), "canonical needs one {} for each"),
        (("example: NPI-1234567893", "example: NPI-12"), "does not normalise to itself"),
        (("name: npi_number", "name: money"), "the name of a built-in field kind"),
        (("word: npi", "colour: blue"), "colour"),
    ],
)
def test_a_wrong_declaration_is_refused_when_the_catalog_loads(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(CatalogError, match=r"ids\.yaml") as caught:
        load_catalog(_catalog(tmp_path, NPI.replace(*change), "text"))
    assert message in str(caught.value)


def test_an_identifier_declared_twice_is_refused(tmp_path: Path) -> None:
    folder = _catalog(tmp_path, NPI)
    (folder / "more_ids.yaml").write_text(NPI, encoding="utf-8")
    with pytest.raises(CatalogError, match="npi_number declared twice"):
        load_catalog(folder)


def test_an_unknown_kind_names_the_kinds_there_are(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(_catalog(tmp_path, NPI, "npi"))
    assert "field code" in str(caught.value) and "unknown field kind 'npi'" in str(caught.value)
    assert "npi_number" in str(caught.value) and "cost_center" in str(caught.value)


def test_a_catalog_can_redeclare_a_shipped_identifier(tmp_path: Path) -> None:
    five = """
identifiers:
  - name: cost_center
    expected: CC- and five digits
    example: CC-44100
    accept: '(?i)(?:cc)?\\s*-?\\s*(\\d{5})'
    canonical: 'CC-{}'
"""
    catalog = load_catalog(_catalog(tmp_path, five, "cost_center"))
    field = catalog.get("thing").field("code")
    assert normalize(field, "cc 44100", CTX) == "CC-44100"
    assert catalog.kinds.identifiers[0].name == "cost_center"
