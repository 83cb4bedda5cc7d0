"""The catalog's approval policy read against the directory: every role a step names is held by
someone, a step needing N approvers of a role has N holders, an `all_of` step has a different
person for each of its roles. Checked at start (the app refuses to start on an error) and by
`frontdoor catalog validate`; each problem names the catalog file and line of the step."""

from __future__ import annotations

from dataclasses import dataclass

from bot.directory import MANAGER, Directory
from forms import Catalog, CatalogError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the policy: where (file:line), the type, the step, and what."""

    where: str
    type_id: str
    step: int
    message: str

    def error(self) -> CatalogError:
        return CatalogError(self.message, file=self.where, type_id=self.type_id, field=f"approvals[{self.step}]")

    def __str__(self) -> str:
        return str(self.error())


def problems(catalog: Catalog, directory: Directory) -> list[Problem]:
    """Every step that the directory cannot staff, in catalog order."""
    found: list[Problem] = []
    for spec in catalog:
        for index, step in enumerate(spec.approvals):
            where = catalog.step_lines.get((spec.id, index), catalog.source)

            def add(message: str, type_id: str = spec.id, step_index: int = index, at: str = where) -> None:
                found.append(Problem(at, type_id, step_index, message))

            roles = [role for role in step.roles if role != MANAGER]
            holders = {role: {p.email for p in directory.holders(role, None)} for role in roles}
            unknown = [role for role in roles if not holders[role]]
            if unknown:
                add(f"{step.summary}: nobody in the directory holds {', '.join(unknown)}")
                continue
            needed = len(step.members)
            if not step.all_of and step.role != MANAGER and needed > len(holders[step.role]):
                label = directory.role_label(step.role)
                add(
                    f"{step.summary}: needs {needed} different {label} approvers, "
                    f"but the directory has {len(holders[step.role])}"
                )
            elif step.all_of and len(set().union(*holders.values())) < len(roles):
                add(f"{step.summary}: needs a different person for each role, but fewer people hold them")
    return found


def check(catalog: Catalog, directory: Directory) -> None:
    """Raise CatalogError for the first problem (see `problems`); nothing to do when none."""
    found = problems(catalog, directory)
    if found:
        raise found[0].error()
