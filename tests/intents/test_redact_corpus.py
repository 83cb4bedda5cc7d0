"""Every kind of protected data in English and Spanish, the business values kept, and the corpora.

The cases here are written for these tests (not copied from the corpora): each kind in the forms
people write it, each kind in Spanish, and messages that look like protected data but are not.
The corpora (phi_messages.jsonl, phi_fresh.jsonl when present, phi_business.jsonl) are run whole:
every secret caught, every kept value kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.directory import load_directory
from intents.redact import REASONS, Redactor, clean, find, phi_reason, restore

DATA = Path(__file__).parent / "data"

# (id, text, secrets, kept values)
PROTECTED: list[tuple[str, str, list[str], list[str]]] = [
    # patients' names, wherever they stand
    ("name after room", "Room 412 John Smith needs a new remote, TV is dead", ["John Smith"], ["Room 412", "TV"]),
    ("name after bed", "bed 7 - Maria Gonzalez asked for an extra blanket", ["Maria Gonzalez"], ["bed 7"]),
    ("last, first after room", "Rm 12: Smith, John wants the blinds fixed", ["Smith", "John"], ["Rm 12"]),
    ("title after bay", "Bay 3 Mr. Okonkwo is complaining the heater is loud", ["Okonkwo"], ["Bay 3"]),
    (
        "title before bed",
        "Ms. Ingrid Solberg in MICU bed 9 says the monitor beeps all night",
        ["Ingrid Solberg"],
        ["MICU"],
    ),
    (
        "before unit-room code",
        "the pt in 3W-12, Svetlana Orlova, 82 yo, fell near the sink",
        ["Svetlana Orlova"],
        ["3W-12"],
    ),
    (
        "list after patients",
        "Patients Robert Brown, Linda Park and Ahmed Hassan need new wristbands printed",
        ["Robert Brown", "Linda Park", "Ahmed Hassan"],
        [],
    ),
    (
        "list with rooms",
        "pts on 5 North: 501 Garcia, 502 Whitfield, 503 Nakamura - all need bed alarms checked",
        ["Garcia", "Whitfield", "Nakamura"],
        ["5 North"],
    ),
    (
        "list in parentheses",
        "Patients on 6 North (Haruto Sato, L. Moreau, Ana-Sofía Ruiz) have no hot water",
        ["Haruto Sato", "L. Moreau", "Ana-Sofía Ruiz"],
        ["6 North"],
    ),
    ("possessive with title", "Mrs. Delgado's family says the TV remote is missing", ["Delgado"], []),
    ("possessive", "Please check John Carter's IV pump, it keeps alarming in 6 East", ["John Carter"], ["6 East"]),
    ("lower case", "patient john doyle left his dentures in the cafeteria", ["john doyle"], ["cafeteria"]),
    ("initial", "pt J. Ramirez in bed 4 says the call light is broken", ["J. Ramirez"], ["bed 4"]),
    ("initials", "patient T.K. Osei needs a bariatric bed", ["T.K. Osei"], []),
    ("hyphenated", "patient Mary-Kate Olsen-Reyes needs a shower chair", ["Mary-Kate Olsen-Reyes"], []),
    ("vietnamese", "patient Nguyen Van Thanh in 4 West says the sink leaks", ["Nguyen Van Thanh"], ["4 West"]),
    ("yoruba", "patient Oluwaseun Adeyemi asked for a phone charger", ["Oluwaseun Adeyemi"], []),
    ("arabic particle", "patient Ahmed al-Rashid is missing his glasses", ["Ahmed al-Rashid"], []),
    ("chinese script", "patient 王伟 needs an interpreter tablet", ["王伟"], []),
    (
        "beside a DOB",
        "Wheelchair for Anan Chaiyaporn (DOB 1/9/1944) is missing a brake",
        ["Anan Chaiyaporn", "1/9/1944"],
        [],
    ),
    (
        "beside an MRN",
        "please move Gustavo Ibarra, MRN 88120031, to a room with a working TV",
        ["Gustavo Ibarra", "88120031"],
        [],
    ),
    ("appositive", "Walter Kim (patient) fell near the elevator, please check the floor", ["Walter Kim"], []),
    ("admitted", "Gloria Estevez was admitted last night and her room has no heat", ["Gloria Estevez"], []),
    ("label", "Patient name: Theodore Banks, please reprint the labels", ["Theodore Banks"], []),
    ("transport of", "please arrange the transport of Mrs. Beatrix Holm to the lobby", ["Beatrix Holm"], []),
    ("relative", "her daughter Ana called about the parking validation", ["Ana"], []),
    ("relative of patient", "patient's wife Helga asked for parking validation", ["Helga"], []),
    (
        "named again later",
        "patient Maria Lopez fell; later Lopez asked for her glasses and Maria's son called",
        ["Maria Lopez", "Lopez", "Maria"],
        [],
    ),
    # nombres de pacientes
    ("la paciente", "la paciente María Fernández dice que el baño está sucio", ["María Fernández"], []),
    ("el paciente", "el paciente Juan Pérez pide otra manta", ["Juan Pérez"], []),
    ("paciente minúsculas", "la paciente maría fernández perdió sus lentes", ["maría fernández"], []),
    (
        "paciente partícula",
        "paciente José de la Cruz en la cama 3 necesita una almohada",
        ["José de la Cruz"],
        ["cama 3"],
    ),
    ("señora habitación", "la Sra. Gómez de la habitación 12 necesita una silla", ["Gómez"], ["habitación 12"]),
    (
        "Sr. habitación",
        "Sr. Ramón Castillo de la habitación 214 pide otra almohada",
        ["Ramón Castillo"],
        ["habitación 214"],
    ),
    ("familia de", "la familia de Rosa Martínez pregunta por el estacionamiento", ["Rosa Martínez"], []),
    (
        "lista pacientes",
        "los pacientes Juan Pérez y María López necesitan sillas de ruedas",
        ["Juan Pérez", "María López"],
        [],
    ),
    (
        "lista entre paréntesis",
        "pacientes en la sala 3 (Lucía Ortega, Tomás Ruiz): no hay agua caliente",
        ["Lucía Ortega", "Tomás Ruiz"],
        [],
    ),
    ("nombre del paciente", "nombre del paciente: Lucía Herrera", ["Lucía Herrera"], []),
    # medical record numbers
    ("MRN with site prefix", "the wristband printer printed MRN SMH-0045821 on the wrong label", ["SMH-0045821"], []),
    ("site prefix near patient", "the patient label reads SMH-0045821 on every page", ["SMH-0045821"], []),
    ("MR#", "MR# 00918273 showed on the kiosk", ["00918273"], []),
    ("chart number", "chart number 7712093 was misfiled", ["7712093"], []),
    ("record no.", "record no. 44120987 needs a correction in Epic", ["44120987"], ["Epic"]),
    ("encounter and FIN", "encounter 902211345 billed twice, FIN 55412098", ["902211345", "55412098"], []),
    ("CSN", "CSN 1200456789 was on the whiteboard", ["1200456789"], []),
    ("several MRNs", "MRNs 1234567, 2345678 and 3456789 printed on one sheet", ["1234567", "2345678", "3456789"], []),
    ("id after patient", "patient 77120934 has no wristband", ["77120934"], []),
    ("expediente", "expediente 4587123 mal archivado", ["4587123"], []),
    ("historia clínica", "historia clínica 99812 aparece en la pantalla del lobby", ["99812"], []),
    ("número de registro", "número de registro 7781234 impreso en la etiqueta", ["7781234"], []),
    # dates of birth
    ("born in words", "patient born March 3rd 1961 needs a new wristband", ["March 3rd 1961"], []),
    ("DOB two-digit year", "DOB 03/04/61 printed on the lobby screen", ["03/04/61"], []),
    ("date of birth day month", "date of birth 5 July 1949 shown on the whiteboard", ["5 July 1949"], []),
    ("born ISO", "born on 1958-11-30 per the label", ["1958-11-30"], []),
    ("date then DOB", "the label says 7/2/1988 (DOB) on top", ["7/2/1988"], []),
    ("nacido el", "nacido el 3 de marzo de 1961, la etiqueta está mal", ["3 de marzo de 1961"], []),
    ("nacida del", "nacida el 2 de enero del 1980", ["2 de enero del 1980"], []),
    ("fecha de nacimiento", "fecha de nacimiento: 14/02/1975 en la pulsera", ["14/02/1975"], []),
    # addresses
    (
        "lives at",
        "the patient lives at 1423 Maple Avenue, Springfield, IL 62704 and needs a wheelchair delivered",
        ["1423 Maple Avenue", "62704"],
        [],
    ),
    ("home address", "send the equipment to her home address 88 Oak St Apt 4B", ["88 Oak St"], []),
    ("PO box", "the patient's mail goes to PO Box 552", ["PO Box 552"], []),
    ("vive en", "el paciente vive en Calle Mayor 12, 3o B", ["Calle Mayor 12"], []),
    (
        "domicilio",
        "domicilio del paciente: Av. Insurgentes Sur 1234, Col. Roma, CP 06700",
        ["Insurgentes Sur 1234", "06700"],
        [],
    ),
    # personal email addresses
    ("gmail", "patient asked us to email the form to jsmith1961@gmail.com", ["jsmith1961@gmail.com"], []),
    ("yahoo", "family contact: rosa.m@yahoo.com, please send updates", ["rosa.m@yahoo.com"], []),
    (
        "outlook",
        "my personal email is bob.martin.home@outlook.com for the W-2",
        ["bob.martin.home@outlook.com"],
        ["W-2"],
    ),
    (
        "icloud aol proton",
        "reply to pat@icloud.com, aol1@aol.com and x@proton.me",
        ["pat@icloud.com", "aol1@aol.com", "x@proton.me"],
        [],
    ),
    ("other domain near family", "the daughter's email is kim.family@comcast.net", ["kim.family@comcast.net"], []),
    ("correo hotmail", "correo de la familia: lupita88@hotmail.com", ["lupita88@hotmail.com"], []),
    (
        "correo yahoo.com.mx",
        "la familia pide escribir a garcia.family@yahoo.com.mx",
        ["garcia.family@yahoo.com.mx"],
        [],
    ),
    # phone numbers
    ("phone", "call the patient's daughter at 617-555-0188", ["617-555-0188"], []),
    ("teléfono", "teléfono de la familia: +52 55 1234 5678", ["+52 55 1234 5678"], []),
    ("celular", "cel del paciente 5512345678", ["5512345678"], []),
    # insurance member ids
    ("insurance id", "insurance ID XJH482991004 on the scanned card", ["XJH482991004"], []),
    ("Medicare MBI", "Medicare MBI 1EG4-TE5-MK73 is on the form", ["1EG4-TE5-MK73"], []),
    ("member id in groups", "BCBS member ID ZGP 884 512 390 needs verification", ["ZGP 884 512 390"], []),
    ("payer member", "Cigna member U7731904 was double billed, invoice 55120", ["U7731904"], ["55120"]),
    ("número de afiliado", "número de afiliado 884512390 del paciente", ["884512390"], []),
    ("póliza", "póliza AXA-778812345 vencida", ["AXA-778812345"], []),
    # payment cards
    (
        "card with spaces",
        "the patient paid with card 4111 1111 1111 1111 and was charged twice",
        ["4111 1111 1111 1111"],
        [],
    ),
    ("card with dashes", "refund to 5500-0000-0000-0004 please", ["5500-0000-0000-0004"], []),
    ("amex", "Amex 3782 822463 10005 was declined", ["3782 822463 10005"], []),
    ("card ending", "visa ending in 4242 was billed", ["4242"], []),
    ("tarjeta", "tarjeta 4012888888881881 rechazada", ["4012888888881881"], []),
    # bank accounts and routing numbers
    ("routing and account", "direct deposit: routing 021000021 account 123456789", ["021000021", "123456789"], []),
    ("bank account", "bank account number 000123456789 for the refund", ["000123456789"], []),
    ("checking", "routing number 011000015, checking account 44120098765", ["011000015", "44120098765"], []),
    ("IBAN", "IBAN ES91 2100 0418 4502 0005 1332 for the refund", ["ES91 2100 0418 4502 0005 1332"], []),
    ("cuenta bancaria", "cuenta bancaria 0123 4567 8901 2345 para el reembolso", ["0123 4567 8901 2345"], []),
    ("CLABE", "CLABE 002180700123456789 del paciente", ["002180700123456789"], []),
    # social security numbers
    ("SSN", "SSN 123-45-6789 was on the fax", ["123-45-6789"], []),
    ("ss#", "ss# 219-09-9999 on the intake form", ["219-09-9999"], []),
    ("social security nine digits", "social security number 078051120 typed in the comments", ["078051120"], []),
    ("seguro social", "número de seguro social 123-45-6789 en el formulario", ["123-45-6789"], []),
]

KEPT: list[tuple[str, str, list[str]]] = [
    (
        "business identifiers",
        "New vendor, EIN 12-3456789, PO-104233, invoice INV-88812, asset AT-20931, CC-4410",
        ["12-3456789", "PO-104233", "INV-88812", "AT-20931", "CC-4410"],
    ),
    ("tax id", "tax id 123456789 for the vendor", ["123456789"]),
    (
        "cost center, amount, dates",
        "cost center 4410, $1,250.00, delivery date 12/15/2026, due Dec 4",
        ["cost center 4410", "$1,250.00", "12/15/2026", "Dec 4"],
    ),
    (
        "staff and a room",
        "Alice Nguyen needs a new badge; Bob Martin approved, room 412",
        ["Alice Nguyen", "Bob Martin"],
    ),
    ("doctor in a room", "Dr. Priya Shah in room 210 needs a monitor", ["Priya Shah", "room 210"]),
    ("work and vendor emails", "contact ar@keystonehvac.net or carol.diaz@example.org", ["ar@keystonehvac.net"]),
    ("departments", "Patient Access and Patient Transport need 4 wheelchairs for 4 West", ["Patient Access", "4 West"]),
    ("outpatient department", "Outpatient Infusion in Building B needs a fridge, CC-4470", ["Outpatient Infusion"]),
    ("title case subject", "Leaking Faucet in Room 412, please fix by Friday", ["Leaking Faucet", "Room 412"]),
    ("title case with code", "Broken Blinds in 5E-310, please fix", ["Broken Blinds", "5E-310"]),
    ("conference room", "Conference Room 3B Administration Building AC broken", ["Conference Room 3B Administration"]),
    (
        "vendor address",
        "Vendor Acme Supply LLC, remit-to 500 Industrial Pkwy, Columbus OH 43215",
        ["500 Industrial Pkwy"],
    ),
    (
        "our warehouse",
        "ship to 500 Industrial Pkwy, our warehouse, by 03/04/2027",
        ["500 Industrial Pkwy", "03/04/2027"],
    ),
    ("font size", "12 pt Arial font on the patient labels is too small", ["12 pt Arial"]),
    ("vendor account", "vendor account 1234567 and invoice 88812 for $12,500", ["1234567", "88812", "$12,500"]),
    ("system before MRN", "Need access to Epic, MRN lookup screen is frozen for everyone", ["Epic"]),
    ("staff with degrees", "Bob Martin, DNP, RN approved the request for Alice Nguyen", ["Bob Martin", "Alice Nguyen"]),
    (
        "staff and PO",
        "Priya Shah, Procurement, needs PO-2204518 approved; invoice INV-77120",
        ["Priya Shah", "PO-2204518"],
    ),
    (
        "furniture in rooms",
        "New Bed Frames in Room 212 and Room 214, about $3,400, CC-4410",
        ["New Bed Frames", "$3,400"],
    ),
    ("transport of supplies", "the transport of supplies to 4 West is late, PO 104233", ["PO 104233"]),
    ("discharge lounge", "Discharge Lounge chairs are broken, CC-4480", ["Discharge Lounge"]),
    ("dear Ms.", "Dear Ms. Berg, please review the contract by Dec 11", ["Ms. Berg", "Dec 11"]),
    (
        "payer contract",
        "Contract with Kaiser Permanente, value $240,000, due 2027-01-31",
        ["Kaiser Permanente", "$240,000"],
    ),
    ("payer renewal", "Humana contract renewal for 2027, about $1.2M", ["Humana", "2027"]),
    ("insurance team", "Insurance Verification team needs 2 new headsets, CC-1300", ["Insurance Verification"]),
    ("member services", "member services line is down; vendor ticket 4410", ["member services", "4410"]),
    ("staff in a department", "Sofia Marquez (Patient Access) starts Monday", ["Sofia Marquez", "Patient Access"]),
    (
        "proveedor",
        "el proveedor Suministros del Norte, EIN 12-3456789, centro de costos 4410, entrega el 4 de diciembre",
        ["12-3456789", "centro de costos 4410", "4 de diciembre"],
    ),
    ("cuenta de proveedor", "el proveedor Grupo Médico Alfa, cuenta de proveedor 12345, factura 8812", ["8812"]),
    ("señora de limpieza", "Hola, la señora de limpieza Rosa dice que el piso 3 está mojado", ["piso 3"]),
    ("not a card", "the tracking number is 4111 1111 1111 1112, box 3", ["4111 1111 1111 1112"]),
    ("not an IBAN", "part GB00 1234 5678 9012 3456 78 is on back order", ["GB00 1234 5678 9012 3456 78"]),
]


def _ids(cases: list[Any]) -> list[str]:
    return [case[0] for case in cases]


@pytest.mark.parametrize(("name", "text", "secrets", "kept"), PROTECTED, ids=_ids(PROTECTED))
def test_protected_data_is_redacted_and_restored(name: str, text: str, secrets: list[str], kept: list[str]) -> None:
    redacted = Redactor().redact(text)
    for secret in secrets:
        assert clean(secret) not in redacted.text, (secret, redacted.text)
    for value in kept:
        assert value in redacted.text, (value, redacted.text)
    assert restore(redacted.text, redacted.mapping) == clean(text)
    assert _only_secrets(redacted.mapping, secrets) == []


def _only_secrets(mapping: dict[str, str], secrets: list[str]) -> list[str]:
    """What was redacted besides the secrets (or parts of them)."""
    listed = [clean(s) for s in secrets]
    return [v for v in mapping.values() if not any(v in s or s in v for s in listed)]


@pytest.mark.parametrize(("name", "text", "kept"), KEPT, ids=_ids(KEPT))
def test_business_values_are_kept(name: str, text: str, kept: list[str]) -> None:
    redacted = Redactor().redact(text)
    assert redacted.mapping == {}, redacted.mapping
    for value in kept:
        assert value in redacted.text
    assert phi_reason(text) is None


def test_every_kind_in_english_and_spanish() -> None:
    english = Redactor().redact(
        "patient John Smith, MRN 1234567, DOB 03/04/61, SSN 123-45-6789, member ID XJH482991004, "
        "lives at 12 Elm Street; card 4111 1111 1111 1111, routing 021000021, jsmith@gmail.com, 617-555-0188"
    )
    spanish = Redactor().redact(
        "la paciente María Fernández, expediente 4587123, nacida el 3 de marzo de 1961, número de seguro social "
        "123-45-6789, número de afiliado 884512390, vive en Calle Mayor 12; tarjeta 4111 1111 1111 1111, "
        "CLABE 002180700123456789, correo lupita88@hotmail.com, cel 5512345678"
    )
    assert english.kinds == spanish.kinds == set(REASONS)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Room 412 John Smith needs a new remote", "a patient's name"),
        ("Patients Robert Brown, Linda Park need wristbands", "a patient's name"),
        ("Mrs. Delgado's family called", "a patient's name"),
        ("patient john doyle", "a patient's name"),
        ("el paciente Juan Pérez", "a patient's name"),
        ("chart number 7712093", "a medical record number"),
        ("encounter 902211345", "a medical record number"),
        ("historia clínica 99812", "a medical record number"),
        ("born March 3rd 1961", "a date of birth"),
        ("fecha de nacimiento: 14/02/1975", "a date of birth"),
        ("Medicare MBI 1EG4-TE5-MK73", "a member or account id"),
        ("visa ending in 4242", "a payment card number"),
        ("IBAN ES91 2100 0418 4502 0005 1332", "a bank account or routing number"),
        ("el paciente vive en Calle Mayor 12", "a home address"),
        ("número de seguro social 123-45-6789", "a social security number"),
        ("teléfono +52 55 1234 5678", None),
        ("correo lupita88@hotmail.com", None),
        ("EIN 12-3456789, PO-104233, INV-88812, AT-20931, cost center 4410, Dec 4, $900", None),
    ],
)
def test_phi_reason_names_each_kind(text: str, reason: str | None) -> None:
    assert phi_reason(text) == reason


@pytest.mark.parametrize(("name", "text", "secrets", "kept"), PROTECTED, ids=_ids(PROTECTED))
def test_the_reason_never_repeats_the_secret(name: str, text: str, secrets: list[str], kept: list[str]) -> None:
    reason = phi_reason(text) or ""
    assert all(clean(secret) not in reason for secret in secrets)


def test_staff_are_kept_when_the_directory_is_known() -> None:
    text = "Emma Wilson in room 3B needs a projector; write to emma.w@gmail.com or vendor ar@keystonehvac.net"
    assert "[PATIENT_1]" in Redactor().redact(text).text  # without the directory: a name before a room
    directory = load_directory()
    redactor = Redactor.for_people(directory)
    redacted = redactor.redact(text)
    assert redacted.text.startswith("Emma Wilson in room 3B")
    assert "emma.w@gmail.com" not in redacted.text
    assert "ar@keystonehvac.net" not in redacted.text  # outside the organisation's domains
    assert "alice.nguyen@example.org" in redactor.redact("ask alice.nguyen@example.org").text
    for name, _ in directory.known_names():
        assert redactor.redact(f"{name} in bed 4 needs a chair").mapping == {}
    assert Redactor(staff=["Emma Wilson"]).redact("patient Emma Wilson").mapping == {}
    assert phi_reason("Emma Wilson in room 3B needs a projector") == "a patient's name"
    assert redactor.reason("Emma Wilson in room 3B needs a projector") is None
    assert redactor.reason("Mrs. Delgado in room 3B needs a projector") == "a patient's name"


def test_a_patient_named_once_is_redacted_wherever_named_again() -> None:
    redacted = Redactor().redact(
        "patient John Smith fell; later Smith asked for John. Dr. John Patel and Alice Nguyen know"
    )
    assert "Smith" not in redacted.text and "for [PATIENT_" in redacted.text
    assert "Dr. John Patel and Alice Nguyen know" in redacted.text


# -- the corpora ----------------------------------------------------------------------------


def _corpus(name: str) -> list[dict[str, Any]]:
    path = DATA / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


CORPORA = ["phi_messages.jsonl", "phi_fresh.jsonl", "phi_business.jsonl"]


@pytest.mark.parametrize("name", CORPORA)
def test_every_secret_of_the_corpus_is_caught_and_nothing_else(name: str) -> None:
    cases = _corpus(name)
    if not cases:
        pytest.skip(f"{name} is not here")
    missed, lost, extra = [], [], []
    for case in cases:
        redacted = Redactor().redact(case["text"])
        missed += [s for s in case.get("secrets", []) if s in redacted.text or clean(s) in redacted.text]
        lost += [k for k in case.get("keep", []) if k not in redacted.text and clean(k) not in redacted.text]
        extra += _only_secrets(redacted.mapping, case.get("secrets", []))
        if not case.get("secrets"):
            assert redacted.mapping == {}, case["text"]
        assert restore(redacted.text, redacted.mapping) == clean(case["text"])
    assert missed == [] and lost == [] and extra == []


def test_cue_words_find_what_a_full_scan_finds() -> None:
    """Detectors run only where their cue words stand; a scan of every pattern over every text
    finds the same (a missing cue word would show here)."""
    texts = [case[1] for case in PROTECTED] + [case[1] for case in KEPT]
    texts += [case["text"] for name in CORPORA for case in _corpus(name)]
    for text in texts:
        text = clean(text)
        assert find(text) == find(text, full=True), text
