"""The directory: people, titles, managers, roles, legal entities and cost centers.

Loaded from a YAML (or JSON) file (the demo organisation ships as the default), whole or not at
all: a file that is malformed, or names a manager, backup or viewer who is not in it, a role nobody
holds, or managers in a cycle, is refused with its file and line. Lookups by email, by
chat user id and by name; a name lookup is forgiving of case, accents and small typos but
never picks between two people: it raises AmbiguousValue with the candidates instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from forms.errors import AmbiguousValue
from forms.kinds import fold
from forms.language import SPANISH, Text
from forms.marks import Path_, line_of, load_with_lines

DEMO_DIRECTORY = Path(__file__).parent / "data" / "demo_directory.yaml"
MANAGER = "manager"
MANAGER_LABEL = Text("Manager", "role:manager", {SPANISH: "Jefe inmediato"})
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")


class DirectoryError(ValueError):
    """A directory file that cannot be loaded."""


class Person(BaseModel):
    """One person of the organisation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    email: str
    name: str
    title: str = ""
    entity: str = ""
    cost_center: str = ""
    department: str = ""
    manager: str | None = None
    roles: tuple[str, ...] = ()
    timezone: str | None = None
    chat_ids: dict[str, str] = Field(default_factory=dict)

    def attributes(self) -> dict[str, Any]:
        """What an approval step's `when` may read of this person as the requester
        (`requester.department`, ...; forms/conditions.py)."""
        return {
            "email": self.email,
            "name": self.name,
            "title": self.title,
            "department": self.department,
            "legal_entity": self.entity,
            "entity": self.entity,
            "cost_center": self.cost_center,
            "manager": self.manager,
            "roles": [held.partition(":")[0] for held in self.roles],
        }

    def holds(self, role: str, entity: str | None) -> bool:
        """Whether the person holds `role` for `entity` (`finance` = every entity, `finance:RMC`)."""
        for held in self.roles:
            name, _, scope = held.partition(":")
            if name == role and (not scope or entity is None or scope == entity):
                return True
        return False


class RoleInfo(BaseModel):
    """A role: its approvals channel, its label and who escalations go to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    channel: str
    label: str = ""
    manager: str | None = None
    backup: str | None = None
    """Who decides the role's step when its only holder is the requester (segregation of duties);
    unset: the role's manager."""
    business_hours: str | None = None
    """This role's working hours for SLAs, e.g. "07:00-19:00" (default: the organisation's)."""
    es: dict[str, str] = Field(default_factory=dict)
    """The role's words in Spanish: `{label: Finanzas}` (said to people who write in Spanish)."""


class _DirectoryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timezone: str | None = None  # unset: FRONTDOOR_TIMEZONE
    entities: list[dict[str, str]] = Field(default_factory=list)
    roles: dict[str, RoleInfo] = Field(default_factory=dict)
    people: list[Person]
    insight_viewers: list[str] = Field(default_factory=list)
    """People who see every figure of /insight (bot/insight/access.py); emails."""


@dataclass
class Directory:
    """Everyone the bot knows, indexed for the lookups the engine makes."""

    people: Mapping[str, Person]
    roles: Mapping[str, RoleInfo] = field(default_factory=dict)
    entities: Mapping[str, str] = field(default_factory=dict)
    timezone: str | None = None
    """The organisation's zone from the directory file; None leaves it to FRONTDOOR_TIMEZONE."""
    insight_viewers: frozenset[str] = frozenset()
    """Who sees everything on /insight (lower-cased emails); see bot/insight/access.py."""
    _by_chat: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _by_name: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for person in self.people.values():
            for channel, user_id in person.chat_ids.items():
                self._by_chat[(channel, user_id)] = person.email
            for key in _name_keys(person):
                self._by_name.setdefault(key, []).append(person.email)

    # -- lookups -------------------------------------------------------------------------
    def get(self, email: str | None) -> Person | None:
        return self.people.get(email.lower()) if email else None

    def by_chat_id(self, channel: str, user_id: str) -> Person | None:
        email = self._by_chat.get((channel, user_id))
        return self.people.get(email) if email else None

    def link_chat_id(self, channel: str, user_id: str, email: str) -> None:
        """Remember a chat user id learnt from the platform (e.g. Slack's users.info)."""
        self._by_chat[(channel, user_id)] = email.lower()

    def chat_id(self, channel: str, email: str) -> str | None:
        for (chan, user_id), known in self._by_chat.items():
            if chan == channel and known == email.lower():
                return user_id
        return None

    def manager_of(self, email: str) -> Person | None:
        person = self.get(email)
        return self.get(person.manager) if person and person.manager else None

    def holders(self, role: str, entity: str | None) -> list[Person]:
        return [p for p in self.people.values() if p.holds(role, entity)]

    def role_channel(self, role: str) -> str:
        info = self.roles.get(role)
        return info.channel if info else f"#approvals-{role}"

    def role_label(self, role: str) -> str:
        """The role's name for people: a `Text` said in the language being spoken when the
        directory gives the role's words in it (`es: {label: ...}`), else as written."""
        if role == MANAGER:
            return MANAGER_LABEL
        info = self.roles.get(role)
        label = info.label if info and info.label else role.replace("_", " ").title()
        spanish = info.es.get("label") if info else None
        return Text(label, f"role:{role}", {SPANISH: spanish}) if spanish else label

    def stand_in(self, role: str, entity: str | None, requester: str) -> Person | None:
        """Who decides a step of `role` on `requester`'s request when nobody else holds the role:
        the role's backup, else its manager; never the requester. None when another holder can
        decide it (the step stays the role's), or when nobody can."""
        holders = self.holders(role, entity)
        if not any(h.email == requester for h in holders) or any(h.email != requester for h in holders):
            return None
        info = self.roles.get(role)
        for candidate in (self.get(info.backup) if info and info.backup else None, self.role_manager(role, entity)):
            if candidate is not None and candidate.email != requester:
                return candidate
        return None

    def lonely_roles(self) -> list[str]:
        """Roles with one holder and no backup: that holder's own requests fall to the role's
        manager, or to nobody when there is none."""
        return sorted(
            role
            for role, info in self.roles.items()
            if not info.backup and len({h.email for h in self.holders(role, None)}) <= 1
        )

    def role_manager(self, role: str, entity: str | None) -> Person | None:
        """Who escalations for a role's channel go to: the configured one, else a holder's manager."""
        info = self.roles.get(role)
        if info and info.manager:
            return self.get(info.manager)
        for holder in self.holders(role, entity):
            manager = self.manager_of(holder.email)
            if manager:
                return manager
        return None

    def name(self, email: str | None) -> str:
        person = self.get(email)
        return person.name if person else (email or "someone")

    def resolve(self, text: str) -> str:
        """An email (as given), a mention, or a unique name → an email; LookupError if none."""
        text = text.strip()
        mention = _MENTION.match(text)
        if mention:
            person = next((p for (_, uid), p in self._chat_people() if uid == mention.group(1)), None)
            if person is None:
                raise LookupError(text)
            return person.email
        email = _EMAIL.fullmatch(text.strip("<>").removeprefix("mailto:").split("|")[0])
        if email:
            return email.group(0).lower()
        return self._resolve_name(text)

    def _chat_people(self) -> Iterable[tuple[tuple[str, str], Person]]:
        for key, email in self._by_chat.items():
            person = self.people.get(email)
            if person:
                yield key, person

    def _resolve_name(self, text: str) -> str:
        key = fold(re.sub(r"^(dr|mr|mrs|ms)\.?\s+", "", text.strip(), flags=re.I))
        candidates = self._by_name.get(key)
        if not candidates and len(key) >= 4:
            from rapidfuzz import process

            matches = process.extract(key, list(self._by_name), score_cutoff=88, limit=5)
            found = {email for name, _score, _ in matches for email in self._by_name[name]}
            candidates = sorted(found)
        if not candidates:
            raise LookupError(text)
        unique = sorted(set(candidates))
        if len(unique) > 1:
            raise AmbiguousValue("person", f"{text!r} matches several people", unique)
        return unique[0]

    def known_names(self) -> Iterable[tuple[str, str]]:
        """(name, email) for every person, for finding names in free text."""
        return ((p.name, p.email) for p in self.people.values())


def _name_keys(person: Person) -> set[str]:
    full = fold(person.name)
    parts = full.split()
    keys = {full, fold(person.email.split("@")[0].replace(".", " "))}
    if len(parts) >= 2:
        keys.add(parts[0])  # a first name alone; ambiguity is detected at lookup
        keys.add(f"{parts[0]} {parts[-1]}")
    return keys


def load_directory(path: str | Path | None = None) -> Directory:
    """Load a directory file (YAML or JSON); the demo organisation when `path` is None. Raises
    DirectoryError naming the file and line of the first problem; nothing is loaded then."""
    source = Path(path) if path is not None else DEMO_DIRECTORY
    lines: dict[Path_, int] = {}

    def at(*where: str | int) -> str:
        line = line_of(lines, where)
        return f"{source}:{line}" if line else str(source)

    try:
        raw, lines = load_with_lines(source.read_text(encoding="utf-8"))
        data = _DirectoryFile.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise DirectoryError(f"{source}: cannot read: {exc}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(p for p in first["loc"] if isinstance(p, str | int))
        where = ".".join(str(p) for p in loc)
        raise DirectoryError(f"{at(*loc)}: {where}: {first['msg']}") from None
    people = {p.email.lower(): p.model_copy(update={"email": p.email.lower()}) for p in data.people}
    _check_people(data, people, at)
    data.roles = {
        role: info.model_copy(
            update={
                "backup": info.backup.lower() if info.backup else None,
                "manager": info.manager.lower() if info.manager else None,
            }
        )
        for role, info in data.roles.items()
    }
    entities = {e["id"]: e.get("name", e["id"]) for e in data.entities}
    viewers = frozenset(v.lower() for v in data.insight_viewers)
    return Directory(
        people=people, roles=data.roles, entities=entities, timezone=data.timezone, insight_viewers=viewers
    )


def _check_people(data: _DirectoryFile, people: Mapping[str, Person], at: Callable[..., str]) -> None:
    """Every manager, backup and viewer named is in the file, nobody manages themselves through
    others, every role listed has a holder; else DirectoryError at the line at fault (`at`)."""
    row = {p.email.lower(): index for index, p in enumerate(data.people)}
    for person in people.values():
        if person.manager and person.manager.lower() not in people:
            raise DirectoryError(
                f"{at('people', row[person.email], 'manager')}: {person.email}: "
                f"manager {person.manager} is not in the directory"
            )
    cycle = _manager_cycle(people)
    if cycle:
        raise DirectoryError(
            f"{at('people', row[cycle[0]], 'manager')}: managers form a cycle: {' → '.join(cycle)} "
            "(someone at the top has no manager)"
        )
    for role, info in data.roles.items():
        for what, who in (("backup", info.backup), ("manager", info.manager)):
            if who and who.lower() not in people:
                raise DirectoryError(f"{at('roles', role, what)}: roles.{role}: {what} {who} is not in the directory")
        if not any(p.holds(role, None) for p in people.values()):
            raise DirectoryError(
                f"{at('roles', role)}: roles.{role}: nobody holds the role (add it to someone's `roles`, or remove it)"
            )
    for index, viewer in enumerate(data.insight_viewers):
        if viewer.lower() not in people:
            raise DirectoryError(f"{at('insight_viewers', index)}: insight_viewers: {viewer} is not in the directory")


def _manager_cycle(people: Mapping[str, Person]) -> list[str]:
    """The first cycle of managers (emails, the first repeated at the end), else []."""
    done: set[str] = set()
    for start in people:
        trail: list[str] = []
        seen: set[str] = set()
        current: str | None = start
        while current is not None and current not in done:
            if current in seen:
                return [*trail[trail.index(current) :], current]
            seen.add(current)
            trail.append(current)
            manager = people[current].manager if current in people else None
            current = manager.lower() if manager else None
        done.update(trail)
    return []
