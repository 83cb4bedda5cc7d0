"""Richer policy as data, checked before it runs (issue 13, item 6 and its bad input): the shape
of `all_of` and `any: N` steps, `when` reading the requester's directory attributes, `frontdoor
catalog validate` against the directory, and a directory or policy that cannot be staffed refused
at start with the file and line, nothing half-loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.app import App
from bot.directory import DirectoryError, load_directory
from bot.policy import problems
from bot.settings import load_settings
from forms import CatalogError, load_catalog
from forms.conditions import ConditionError, parse_condition, requester_values
from tests.bot.test_cli import run

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "bot" / "data" / "demo_directory.yaml"
CATALOG = ROOT / "forms" / "catalog"


def _catalog(tmp_path: Path, type_id: str, old: str, new: str) -> Path:
    """The shipped catalog with one line of one type changed."""
    folder = tmp_path / "catalog"
    if not folder.exists():
        shutil.copytree(CATALOG, folder)
    file = folder / f"{type_id}.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def _line(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


# -- the shape ---------------------------------------------------------------------------------------
def test_all_of_and_any_n_steps_load() -> None:
    catalog = load_catalog()
    big = catalog.approval_chain("contract_review", {"contract_value": 300000})
    assert [(s.summary, s.members) for s in big] == [
        ("all_of(legal, compliance)", ("legal", "compliance")),
        ("cfo", ("cfo",)),
    ]
    assert [s.members for s in catalog.approval_chain("contract_review", {})] == [("legal",)]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("{all_of: [legal], sla: 8h}", "at least two roles"),
        ("{all_of: [legal, legal], sla: 8h}", "names a role twice"),
        ("{all_of: [legal, compliance], role: cfo, sla: 8h}", "not both"),
        ("{all_of: legal, sla: 8h}", "all_of"),
        ("{all_of: [legal, Compliance Team], sla: 8h}", "role names"),
        ("{role: finance, any: 0, sla: 8h}", "any"),
        ("{role: manager, any: 2, sla: 8h}", "one manager"),
        ("{sla: 8h}", "names who approves"),
    ],
)
def test_malformed_steps_are_refused_with_file_and_line(tmp_path: Path, step: str, message: str) -> None:
    cfo = '{role: cfo, sla: 16h, when: "estimated_cost > 50000"}'
    folder = _catalog(tmp_path, "purchase_requisition", cfo, step)
    file = folder / "purchase_requisition.yaml"
    with pytest.raises(CatalogError, match=message) as raised:
        load_catalog(folder)
    assert f"{file}:{_line(file, step)}" in str(raised.value)


# -- `when` on the requester -------------------------------------------------------------------------
def test_when_reads_the_requesters_attributes() -> None:
    condition = parse_condition("requester.department == 'Finance' and amount > 100", frozenset({"amount"}))
    frank = load_directory().get("frank.ito@example.org")
    alice = load_directory().get("alice.nguyen@example.org")
    assert frank is not None and alice is not None
    assert condition({"amount": 200.0, **requester_values(frank.attributes())})
    assert not condition({"amount": 200.0, **requester_values(alice.attributes())})
    assert not condition({"amount": 200.0})  # no requester known: no value, the comparison is false
    entity = parse_condition("requester.legal_entity in ['RMC', 'NPG'] and 'finance' in requester.roles")
    assert entity(requester_values(frank.attributes())) and not entity(requester_values(alice.attributes()))
    assert parse_condition("requester.title == 'Finance Manager'")(requester_values(frank.attributes()))


@pytest.mark.parametrize(
    "source",
    ["requester.salary > 1", "os.system == 1", "requester.title.upper == 'X'", "__import__('os')", "requester()"],
)
def test_when_stays_a_small_language(source: str) -> None:
    with pytest.raises(ConditionError):
        parse_condition(source)


def test_a_step_chosen_by_the_requesters_department(tmp_path: Path) -> None:
    folder = _catalog(
        tmp_path,
        "purchase_requisition",
        '{role: finance, sla: 8h, when: "estimated_cost > 5000"}',
        "{role: finance, sla: 8h, when: \"estimated_cost > 5000 or requester.department == 'Finance'\"}",
    )
    catalog = load_catalog(folder)
    directory = load_directory()
    frank, alice = (directory.get(f"{n}@example.org") for n in ("frank.ito", "alice.nguyen"))
    assert frank is not None and alice is not None
    values = {"estimated_cost": 100}
    assert [s.role for s in catalog.approval_chain("purchase_requisition", values, frank.attributes())] == [
        "manager",
        "finance",
    ]
    assert [s.role for s in catalog.approval_chain("purchase_requisition", values, alice.attributes())] == ["manager"]


def test_when_naming_an_unknown_attribute_or_field_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = _catalog(tmp_path, "purchase_requisition", '"estimated_cost > 50000"', '"requester.grade > 3"')
    file = folder / "purchase_requisition.yaml"
    with pytest.raises(CatalogError, match=r"unknown requester attribute.*requester\.grade") as raised:
        load_catalog(folder)
    assert f"{file}:{_line(file, 'requester.grade')}" in str(raised.value)
    result = run("catalog", "validate", str(folder))
    assert result.returncode == 1 and "requester.grade" in result.stderr
    folder = _catalog(tmp_path, "purchase_requisition", '"requester.grade > 3"', '"budget > 3"')
    result = run("catalog", "validate", str(folder))
    assert result.returncode == 1 and "unknown field(s): budget" in result.stderr


# -- the policy against the directory ---------------------------------------------------------------
def test_the_shipped_policy_is_staffed_by_the_demo_directory() -> None:
    assert problems(load_catalog(), load_directory()) == []
    result = run("catalog", "validate")
    assert result.returncode == 0 and result.stdout.startswith("ok: 10 request types"), result.stderr


def test_validate_refuses_a_step_nobody_can_staff(tmp_path: Path) -> None:
    folder = _catalog(
        tmp_path,
        "purchase_requisition",
        '{role: finance, sla: 8h, when: "estimated_cost > 5000"}',
        "{role: finance, any: 2, sla: 8h}",
    )
    folder = _catalog(tmp_path, "cost_center_change", "{role: hr, sla: 16h}", "{all_of: [hr, treasury], sla: 16h}")
    result = run("catalog", "validate", str(folder))
    assert result.returncode == 1
    purchase, cost_center = folder / "purchase_requisition.yaml", folder / "cost_center_change.yaml"
    assert f"{cost_center}:{_line(cost_center, 'treasury')}" in result.stderr
    assert "all_of(hr, treasury): nobody in the directory holds treasury" in result.stderr
    assert f"{purchase}:{_line(purchase, 'any: 2')}" in result.stderr
    assert "any 2 of finance: needs 2 different Finance approvers, but the directory has 1" in result.stderr
    two = ROOT / "tests" / "scenarios" / "directory_two_finance.yaml"
    result = run("catalog", "validate", str(folder), "--directory", str(two))
    assert result.returncode == 1 and "any 2 of finance" not in result.stderr  # two Finance holders there


def test_all_of_needs_a_different_person_for_each_role(tmp_path: Path) -> None:
    one = tmp_path / "directory.yaml"
    text = DEMO.read_text(encoding="utf-8").replace("roles: [compliance]}", "}")
    one.write_text(text.replace("roles: [legal]}", "roles: [legal, compliance]}"), encoding="utf-8")
    found = [str(p) for p in problems(load_catalog(), load_directory(one))]
    assert len(found) == 1 and "all_of(legal, compliance): needs a different person for each role" in found[0]


def test_the_app_refuses_to_start_on_a_policy_naming_an_unknown_role(tmp_path: Path) -> None:
    folder = _catalog(tmp_path, "employee_onboarding", "{role: it, sla: 16h}", "{role: facilities, sla: 16h}")
    file = folder / "employee_onboarding.yaml"
    settings = load_settings(database_url=f"sqlite:///{tmp_path}/fd.db", catalog=str(folder))
    with pytest.raises(CatalogError, match="nobody in the directory holds facilities") as raised:
        App(settings)
    assert f"{file}:{_line(file, 'facilities')}" in str(raised.value)
    assert not (tmp_path / "fd.db").exists()  # refused before anything was opened
    doctor = run(
        "doctor", env={"FRONTDOOR_CATALOG": str(folder), "FRONTDOOR_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    )
    assert doctor.returncode == 1 and "nobody in the directory holds facilities" in doctor.stdout


# -- the directory's bad input -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        (("roles: [compliance]}", "}"), "compliance: {channel", "roles.compliance: nobody holds the role"),
        (
            ("backup: lena.berg@example.org}", "backup: nora.quinn@example.org}"),
            "nora.quinn",
            "roles.compliance: backup nora.quinn@example.org is not in the directory",
        ),
        (
            (
                "cost_center: CC-4000, department: Nursing}",
                "cost_center: CC-4000, department: Nursing, manager: alice.nguyen@example.org}",
            ),
            "email: alice.nguyen",  # the cycle is named from the first of its people in the file
            "managers form a cycle: alice.nguyen@example.org → bob.martin@example.org → carol.diaz",
        ),
    ],
)
def test_a_directory_that_cannot_be_used_is_refused_with_file_and_line(
    tmp_path: Path, change: tuple[str, str], needle: str, message: str
) -> None:
    file = tmp_path / "directory.yaml"
    text = DEMO.read_text(encoding="utf-8")
    assert change[0] in text
    file.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(DirectoryError, match=message) as raised:
        load_directory(file)
    assert str(raised.value).startswith(f"{file}:{_line(file, needle)}: ")
    settings = load_settings(database_url=f"sqlite:///{tmp_path}/fd.db", directory=str(file))
    with pytest.raises(DirectoryError):
        App(settings)  # nothing half-loaded: no app at all
    result = run("chat", "--script", str(ROOT / "examples" / "purchase.jsonl"), env={"FRONTDOOR_DIRECTORY": str(file)})
    assert result.returncode == 2 and message in result.stderr and f"{file}:" in result.stderr
    assert result.stdout == ""


def test_a_cycle_of_managers_in_a_json_directory(tmp_path: Path) -> None:
    file = tmp_path / "directory.json"
    file.write_text(
        '{"people": [\n'
        '  {"email": "a@example.org", "name": "Ann Able", "manager": "b@example.org"},\n'
        '  {"email": "b@example.org", "name": "Ben Best", "manager": "a@example.org"},\n'
        '  {"email": "c@example.org", "name": "Cy Coe"}\n'
        "]}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        DirectoryError,
        match=r"directory\.json:2: managers form a cycle: a@example\.org → b@example\.org → a@example\.org",
    ):
        load_directory(file)
