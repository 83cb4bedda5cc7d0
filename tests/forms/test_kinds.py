"""Every field kind's normalisation and its refusals."""

from __future__ import annotations

from datetime import date

import pytest

from bot.directory import load_directory
from forms import AmbiguousValue, Choice, FieldError, FieldSpec, NormalizeContext, normalize
from intents.redact import phi_reason

TODAY = date(2026, 11, 23)  # a Monday
CTX = NormalizeContext(today=TODAY, resolve_person=load_directory().resolve, requester="alice.nguyen@example.org")


def norm(kind: str, raw: object, **extra: object) -> object:
    return normalize(FieldSpec(name="f", kind=kind, **extra), raw, CTX)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$12,500", 12500),
        ("12.5k", 12500),
        ("USD 900", 900),
        ("4,000 dollars", 4000),
        ("four thousand dollars", 4000),
        ("about $7,500", 7500),
        (899.99, 899.99),
        ("2.5 million", 2500000),
    ],
)
def test_money(raw: object, expected: float) -> None:
    assert norm("money", raw) == expected


@pytest.mark.parametrize("raw", ["lots", "$", "twelve apples and a pear", True])
def test_money_refusals(raw: object) -> None:
    with pytest.raises(FieldError, match="amount in US dollars"):
        norm("money", raw)


def test_money_bounds() -> None:
    with pytest.raises(FieldError, match="more than 0"):
        norm("money", "0", gt=0)


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), ("three", 3), ("a dozen", 12), ("two dozen", 24), (4, 4)])
def test_integer(raw: object, expected: int) -> None:
    assert norm("integer", raw) == expected


@pytest.mark.parametrize("raw", ["2.5", "several", "-"])
def test_integer_refusals(raw: str) -> None:
    with pytest.raises(FieldError, match="whole number"):
        norm("integer", raw)


def test_integer_minimum() -> None:
    with pytest.raises(FieldError, match="at least 1"):
        norm("integer", "0", min=1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-01", "2026-12-01"),
        ("Dec 1", "2026-12-01"),
        ("next Friday", "2026-11-27"),
        ("tomorrow", "2026-11-24"),
        ("Jan 15", "2027-01-15"),
        ("12/15", "2026-12-15"),
        ("in 2 weeks", "2026-12-07"),
        ("1 de diciembre", "2026-12-01"),
        ("mañana", "2026-11-24"),
        ("end of month", "2026-11-30"),
        ("by Friday", "2026-11-27"),
    ],
)
def test_date(raw: str, expected: str) -> None:
    assert norm("date", raw) == expected


@pytest.mark.parametrize("raw", ["Feb 30", "someday", "2026-13-01"])
def test_date_refusals(raw: str) -> None:
    with pytest.raises(FieldError, match="should be a date"):
        norm("date", raw)


def test_date_not_past() -> None:
    with pytest.raises(FieldError, match="cannot be in the past"):
        norm("date", "2026-11-01", not_past=True)


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("cost_center", "CC-4410", "CC-4410"),
        ("cost_center", "cc 4410", "CC-4410"),
        ("cost_center", "cost center 4410", "CC-4410"),
        ("tax_id", "12-3456789", "12-3456789"),
        ("tax_id", "EIN 123456789", "12-3456789"),
        ("po_number", "po 104233", "PO-104233"),
        ("po_number", "PO-10423399", "PO-10423399"),
        ("invoice_number", "invoice 88812", "INV-88812"),
        ("invoice_number", "INV-88812", "INV-88812"),
        ("asset_tag", "asset 20931", "AT-20931"),
        ("asset_tag", "AT-20931", "AT-20931"),
    ],
)
def test_codes(kind: str, raw: str, expected: str) -> None:
    assert norm(kind, raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "form"),
    [
        ("cost_center", "CC-441", "CC- and four digits"),
        ("tax_id", "123-45-6789", "EIN"),
        ("po_number", "PO-1234", "5 to 8 digits"),
        ("asset_tag", "AT-2093", "five digits"),
        ("invoice_number", "INV-AB", "INV-"),
    ],
)
def test_code_refusals_name_the_form(kind: str, raw: str, form: str) -> None:
    with pytest.raises(FieldError) as caught:
        norm(kind, raw)
    assert form in caught.value.message


def test_email() -> None:
    assert norm("email", "Jane.Doe@Example.org") == "jane.doe@example.org"
    assert norm("email", "<mailto:ar@keystone.net|ar@keystone.net>") == "ar@keystone.net"
    with pytest.raises(FieldError, match="email address"):
        norm("email", "jane at example")


def test_enum_with_synonyms() -> None:
    spec = FieldSpec(
        name="access_level",
        kind="enum",
        choices=(Choice(id="read", synonyms=("read only", "view")), Choice(id="admin", synonyms=("administrator",))),
    )
    assert normalize(spec, "Read-Only", CTX) == "read"
    assert normalize(spec, "Administrator", CTX) == "admin"
    with pytest.raises(FieldError, match="one of: read, admin"):
        normalize(spec, "superpowers", CTX)


def test_person() -> None:
    assert norm("person", "Emma Wilson") == "emma.wilson@example.org"
    assert norm("person", "me") == "alice.nguyen@example.org"
    assert norm("person", "maria.santos@example.org") == "maria.santos@example.org"
    with pytest.raises(FieldError, match="can't find that person in the directory") as refused:
        norm("person", "Nobody Atall")  # perhaps a patient's name: not repeated back
    assert "Atall" not in str(refused.value)
    with pytest.raises(FieldError, match="can't find that person in the directory") as refused:
        norm("person", "slack:U0123ABCD")  # a user picked in a form, whose profile has no email
    assert "U0123ABCD" not in str(refused.value)


def test_person_never_guesses_between_two(tmp_path: object) -> None:
    from bot.directory import Directory, Person

    people = {
        p.email: p
        for p in (Person(email="a.lee@x.org", name="Alex Lee"), Person(email="a.lee2@x.org", name="Alex Lee"))
    }
    ctx = NormalizeContext(today=TODAY, resolve_person=Directory(people=people).resolve)
    with pytest.raises(AmbiguousValue) as caught:
        normalize(FieldSpec(name="employee", kind="person"), "Alex Lee", ctx)
    assert caught.value.candidates == ["a.lee2@x.org", "a.lee@x.org"]


def test_text_limits_and_guard() -> None:
    assert norm("text", "  two   monitors ") == "two monitors"
    with pytest.raises(FieldError, match="too long"):
        norm("text", "x" * 2001)
    guarded = NormalizeContext(
        today=TODAY, text_guard=lambda t: "a social security number" if "123-45-6789" in t else None
    )
    with pytest.raises(FieldError, match="must not contain a social security number"):
        normalize(FieldSpec(name="f", kind="text"), "patient ssn 123-45-6789", guarded)


@pytest.mark.parametrize("kind", ["person", "cost_center", "enum", "money", "date", "integer", "email", "asset_tag"])
def test_every_kind_refuses_protected_data_without_echoing_it(kind: str) -> None:
    ctx = NormalizeContext(
        today=TODAY, resolve_person=lambda name: (_ for _ in ()).throw(LookupError(name)), text_guard=phi_reason
    )
    spec = FieldSpec(name="f", kind=kind, choices=(Choice(id="low"),) if kind == "enum" else ())
    with pytest.raises(FieldError, match="must not contain a patient's name") as refused:
        normalize(spec, "patient John Smith", ctx)
    assert "John Smith" not in str(refused.value)


def test_a_refused_date_is_not_repeated_back() -> None:
    """A date of birth given as "needed by" is refused without being echoed (it is protected)."""
    with pytest.raises(FieldError) as refused:
        norm("date", "1950-03-04", not_past=True)
    assert "1950" not in str(refused.value) and "cannot be in the past" in str(refused.value)


@pytest.mark.parametrize(
    ("answer", "count"),
    [
        ("five of those", 5),
        ("like I said, 6", 6),
        ("a dozen please", 12),
        ("we need 3", 3),
        ("twenty five", 25),
        ("10 units thanks", 10),
    ],
)
def test_a_count_in_a_short_answer(answer: str, count: int) -> None:
    assert norm("integer", answer) == count


@pytest.mark.parametrize(
    "answer", ["5 of the 500 mL bags", "three or four", "none", "as many as the unit had last year"]
)
def test_no_count_is_guessed_from_an_answer_with_two_or_none(answer: str) -> None:
    with pytest.raises(FieldError, match="whole number"):
        norm("integer", answer)


@pytest.mark.parametrize("answer", ["me", "it's for me", "For me.", "myself", "that's me", "Es para mí", "para mi"])
def test_the_requester_speaking_of_themselves(answer: str) -> None:
    assert norm("person", answer) == "alice.nguyen@example.org"
