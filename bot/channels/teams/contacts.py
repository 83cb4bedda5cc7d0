"""People's Teams conversation references, kept in the `contacts` table (channel "teams").

A reference is captured when the app is installed and on each person's first contact; it is
what proactive messages (approval cards, reminders, decisions) need. It has the shape of a
`Place` (so the outbox router hands it back as the destination's place) with the ids Teams
needs in `extra`: service_url, user (29:…), aad, tenant and bot. `conversation` is the personal
chat when known, else empty (the channel then opens the chat before sending).
"""

from __future__ import annotations

from typing import Any

from bot.channels.base import Host

CHANNEL = "teams"


class Contacts:
    """Reads and writes Teams references; a cache keeps unchanged references from being rewritten."""

    def __init__(self, host: Host) -> None:
        self.host, self.directory = host, host.directory
        self._known: dict[str, dict[str, Any]] = {}
        self._loaded = False

    async def load(self) -> None:
        """Read every stored reference once: people are recognised again after a restart."""
        if self._loaded:
            return
        rows = dict(await self.host.contacts(CHANNEL))
        for email, address in rows.items():
            self._known.setdefault(email, address)
            self._link(email, self._known[email])
        self._loaded = True

    @property
    def loaded(self) -> bool:
        return self._loaded

    def changed(self, email: str, address: dict[str, Any]) -> dict[str, Any] | None:
        """The reference to store for `email` after seeing `address`, or None when nothing is new.
        A reference without a personal chat never replaces one with it (for the same user)."""
        old = self._known.get(email)
        if old is None:
            return address
        old_extra, new_extra = dict(old.get("extra") or {}), dict(address.get("extra") or {})
        merged = {**address, "extra": {**old_extra, **new_extra}}
        same_user = old_extra.get("user") == new_extra.get("user")
        if not address.get("conversation") and old.get("conversation") and same_user:
            merged["conversation"] = old["conversation"]
        return None if merged == old else merged

    async def remember(self, found: list[tuple[str, dict[str, Any]]]) -> None:
        """Store the references that tell something new, in one transaction (an upsert each: a
        reference stored at the same moment is updated)."""
        new = [(email, address) for email, seen in found if (address := self.changed(email, seen)) is not None]
        if not new:
            return
        await self.host.save_contacts(CHANNEL, new)
        for email, address in new:
            self._known.pop(email, None)  # the newest reference last: service_url() prefers it
            self._known[email] = address
            self._link(email, address)

    def approvers(self, address: str) -> list[str]:
        """Teams user ids of whoever may act on a card sent to `address`: the person, or the holders
        of the role whose approvals channel it is (for the card's automatic refresh)."""
        if not address.startswith("#"):
            return self.user_ids([address])
        roles = [r for r in self.directory.roles if self.directory.role_channel(r) == address]
        if not roles and address.startswith("#approvals-"):
            roles = [address.removeprefix("#approvals-")]
        return self.user_ids([p.email for role in roles for p in self.directory.holders(role, None)])

    def get(self, email: str) -> dict[str, Any] | None:
        return self._known.get(email.lower())

    def user_ids(self, emails: list[str]) -> list[str]:
        """The Teams user ids (29:…) of those people whose reference is known."""
        found = (str((self._known.get(e.lower()) or {}).get("extra", {}).get("user") or "") for e in emails)
        return [user for user in dict.fromkeys(found) if user]

    def service_url(self, tenant: str | None = None) -> str | None:
        """A service URL seen lately (for the tenant when given), for conversations configured by id."""
        for address in reversed(list(self._known.values())):
            extra = address.get("extra") or {}
            if extra.get("service_url") and (tenant is None or extra.get("tenant") in (None, tenant)):
                return str(extra["service_url"])
        return None

    def _link(self, email: str, address: dict[str, Any]) -> None:
        extra = address.get("extra") or {}
        for key in ("user", "aad"):
            if extra.get(key):
                self.directory.link_chat_id(CHANNEL, str(extra[key]), email)
