"""Who may see what of /insight.

In the embedded default (no sign-in configured) the page is served to loopback only: a request
from any other address is refused (403). With sign-in, what a signed-in person sees comes from
the directory: people named in its `insight_viewers` list see everything; a manager sees the
requests of everyone under them (their organisation, all levels down); the holders of a role see
the steps of that role; anyone else sees nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from bot.directory import Directory
from bot.insight.queries import Scope


def is_loopback(address: str | None) -> bool:
    """Whether the peer's address is 127.0.0.0/8 or ::1 (an IPv4-mapped one included)."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def organisation(directory: Directory, manager: str) -> frozenset[str]:
    """Everyone who reports to `manager`, directly or not (the manager too)."""
    reports: dict[str, list[str]] = {}
    for person in directory.people.values():
        if person.manager:
            reports.setdefault(person.manager.lower(), []).append(person.email)
    found = {manager.lower()}
    todo = [manager.lower()]
    while todo:
        for email in reports.get(todo.pop(), ()):
            if email not in found:
                found.add(email)
                todo.append(email)
    return frozenset(found)


def scope_for(directory: Directory, email: str, viewers: Iterable[str] | None = None) -> Scope:
    """What `email` may see (see the module's text); `viewers` defaults to the directory's
    `insight_viewers` list."""
    email = email.lower()
    if viewers is None:
        viewers = directory.insight_viewers
    if email in {v.lower() for v in viewers}:
        return Scope()
    person = directory.get(email)
    if person is None:
        return Scope.nothing()
    org = organisation(directory, email)
    requesters = org if len(org) > 1 else frozenset()
    roles = frozenset(held.partition(":")[0] for held in person.roles)
    return Scope(everything=False, requesters=requesters, roles=roles)
