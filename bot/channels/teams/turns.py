"""What Front Door does with each Teams activity, whatever SDK received and authenticated it.

Plain activity JSON in, an `Answer` out (the body of an invoke response). People are matched to
the directory by their Teams ids, else by the email the connector gives for them; their
conversation references are stored on install and first contact. Messages and clicks go to the
engine, which decides and authorises everything; replies leave through the outbox. A click on a
card (a Universal Action) is answered with the card as it now is, so it changes in place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from bot.channels.base import DeliveryError, Host
from bot.channels.teams import inbound, render
from bot.channels.teams.connector import Connector
from bot.channels.teams.contacts import Contacts
from bot.core import messages as say
from bot.core.approvals import card_key
from bot.core.events import Action, ActionName
from bot.core.replies import Outgoing
from forms.language import speaking

log = logging.getLogger("frontdoor.teams")
T = TypeVar("T")
TEAMS = "msteams"
EMULATOR = "emulator"
BUSY = say.TEAMS_BUSY


@dataclass(frozen=True)
class Answer:
    """The HTTP status for the activity and, for an invoke, the response body."""

    status: int = 200
    body: dict[str, Any] | None = None


class TeamsTurns:
    """Handles the activities of one Front Door process."""

    def __init__(self, host: Host, connector: Connector, contacts: Contacts, *, open_mode: bool) -> None:
        self.host, self.connector, self.contacts = host, connector, contacts
        self.open_mode = open_mode
        self.directory = host.directory

    async def handle(self, activity: dict[str, Any]) -> Answer:
        if activity.get("channelId") not in ((TEAMS, EMULATOR) if self.open_mode else (TEAMS,)):
            return Answer(200)  # other Bot Framework channels do not vouch for who is writing
        if not self.contacts.loaded:
            await self.contacts.load()
        kind = activity.get("type")
        if kind in ("conversationUpdate", "installationUpdate"):
            await self._installed(activity)
            return Answer(200)
        action = inbound.action_of(activity)
        if kind == "invoke" and action is None:
            return Answer(501)
        if kind not in ("invoke", "message"):
            return Answer(200)
        try:
            person = await self.person(activity)
        except DeliveryError as exc:  # the connector could not be asked who this is: that says nothing about them
            log.warning("could not identify a Teams user now: %s", exc)
            if kind == "invoke":
                return Answer(200, render.message_answer(str(BUSY)))
            return Answer(503)  # not handled, nor recorded as handled: a redelivery starts afresh
        if person is None:
            return await self._stranger(activity)
        await self._remember([(person, inbound.reference(activity))])
        if action is not None and action[0] == inbound.REFRESH:
            with speaking(await self.host.language_of(person)):  # the card as its viewer reads it
                return Answer(200, await self._refresh(action[1], inbound.sender(activity).user_id))
        event = inbound.to_event(activity, person)
        if event is None:
            return Answer(200, await self._unknown_button(person) if kind == "invoke" else None)
        out = await self.host.handle(event)
        if isinstance(event, Action) and kind == "invoke":
            with speaking(await self.host.language_of(person)):  # what the answer adds to the card
                return Answer(200, await self._answer(event, out, inbound.sender(activity).user_id))
        return Answer(200)

    # -- people --------------------------------------------------------------------------------
    async def person(self, activity: dict[str, Any]) -> str | None:
        """The directory email of the sender, or None for someone the organisation does not know."""
        who = inbound.sender(activity)
        for key in (who.aad_object_id, who.user_id):
            known = self.directory.by_chat_id("teams", key) if key else None
            if known is not None:
                return str(known.email)
        email = self._claimed_email(who) if self.open_mode else None
        if email is None and who.user_id:
            email = _email_of(await self._member(activity, who.user_id))
        if email is None or self.directory.get(email) is None:
            return None
        for key in (who.user_id, who.aad_object_id):
            if key:
                self.directory.link_chat_id("teams", key, email)
        return email

    def _claimed_email(self, who: inbound.Sender) -> str | None:
        """In the emulator's open mode only: an email given as the user's UPN, id or name."""
        for claim in (who.email, who.user_id.lower(), who.name.lower()):
            if claim and self.directory.get(claim) is not None:
                return claim
        return None

    async def _member(self, activity: dict[str, Any], user: str) -> dict[str, Any] | None:
        where = inbound.place(activity)
        scope = inbound.team(activity) or where.conversation.split(";")[0]
        service = str(activity.get("serviceUrl") or "")
        return await self.connector.member(service, scope, user) if service and scope else None

    async def _remember(self, found: list[tuple[str, dict[str, Any]]]) -> None:
        fresh = [(email, ref) for email, ref in found if self.contacts.changed(email, ref) is not None]
        if fresh:
            await self.contacts.remember(fresh)

    async def _stranger(self, activity: dict[str, Any]) -> Answer:
        if activity.get("type") == "invoke":
            return Answer(200, render.message_answer(say.unknown_person(self.host.help_contact)))
        where = inbound.place(activity)
        service = str(where.extra.get("service_url") or "")
        try:
            reply = {
                "type": "message",
                "text": say.unknown_person(self.host.help_contact),
                "replyToId": activity.get("id"),
            }
            await self.connector.send(service, where.conversation, reply)
        except DeliveryError as exc:
            log.info("could not answer an unknown Teams user: %s", exc)
        return Answer(200)

    async def _installed(self, activity: dict[str, Any]) -> None:
        """Capture references: the installer's, the roster of the team or group chat the bot was
        added to, and people added later to a conversation the bot is in."""
        found: list[tuple[str, dict[str, Any]]] = []
        if inbound.installed(activity):
            person = await self._quietly(self.person(activity))
            if person is not None:
                found.append((person, inbound.reference(activity)))
            where = inbound.place(activity)
            scope = inbound.team(activity) or ("" if where.direct else where.conversation.split(";")[0])
            service = str(activity.get("serviceUrl") or "")
            if scope and service:
                try:
                    roster = await self.connector.members(service, scope)
                except DeliveryError as exc:
                    log.warning("could not read the roster of %s: %s", scope, exc)
                    roster = []
                found += self._known_members(activity, roster)
        for member in inbound.members_added(activity):
            full = await self._quietly(self._member(activity, str(member.get("id"))))
            found += self._known_members(activity, [full] if full else [])
        await self._remember(found)

    @staticmethod
    async def _quietly(lookup: Awaitable[T]) -> T | None:
        """A look-up made on install: when the connector cannot answer now, the person's reference is
        captured on their first message instead."""
        try:
            return await lookup
        except DeliveryError as exc:
            log.warning("Teams look-up on install failed: %s", exc)
            return None

    def _known_members(self, activity: dict[str, Any], members: list[dict[str, Any]]) -> list[tuple[str, Any]]:
        found = []
        for member in members:
            email = _email_of(member)
            if email and self.directory.get(email) is not None:
                found.append((email, inbound.reference(activity, member)))
        return found

    # -- answers to card actions ------------------------------------------------------------------
    async def _unknown_button(self, person: str) -> dict[str, Any]:
        with speaking(await self.host.language_of(person)):
            return render.message_answer(str(say.UNKNOWN_BUTTON_PRESSED))

    async def _refresh(self, data: dict[str, Any], viewer: str | None) -> dict[str, Any]:
        """A card asks for its current state (for an approver opening it, or after a decision). Its
        buttons are shown to the step's approvers only; anyone else sees the state without them."""
        found = await self.host.step_card(str(data.get("request") or ""), data.get("step"))
        if found is None:
            return render.message_answer(str(say.REQUEST_GONE))
        card, address = found
        approvers = self.contacts.approvers(address) if card.buttons else []
        if card.buttons and viewer not in approvers:
            card = replace(card, buttons=())
        return render.card_answer(card, refresh_for=approvers or None)

    async def _answer(self, action: Action, out: list[Outgoing], viewer: str) -> dict[str, Any]:
        """The card acted on as it now is, or a short message when the card stays as it was."""
        key = card_key(action.request, action.step) if action.request and action.step else None
        if key is None and action.draft is not None:
            key = f"draft:{action.draft}"  # the review card, closed by the engine once confirmed or cancelled
        for wanted in ("update", "form", "review"):
            for o in out:
                if o.card is not None and _fits(o, wanted, key):
                    text = "" if wanted == "update" else o.text
                    approvers = self.contacts.approvers(o.to) if o.card.buttons else None
                    return render.card_answer(o.card, text, approvers)
        errors = [o.text for o in out if o.kind == "error"]
        if errors:
            return render.message_answer(errors[0])
        if not out and action.request:  # a repeated click: show the card's current state
            return await self._refresh({"request": action.request, "step": action.step}, viewer)
        told = [o for o in out if o.kind in ("reply", "notice")]
        said = next((o.text for o in told if o.to == action.person), told[0].text if told else str(say.DONE))
        submitted = any(o.request for o in out) and action.action is ActionName.CONFIRM
        if action.draft is not None and (submitted or action.action is ActionName.CANCEL):  # an engine that
            # does not close the review card itself: close it from its last posted version
            card = await self.host.closed_card(action.draft, said)
            if card is not None:
                return render.card_answer(card)
        return render.message_answer(said)


def _fits(outgoing: Outgoing, wanted: str, key: str | None) -> bool:
    card = outgoing.card
    if wanted == "update":
        return outgoing.kind == "card_update" and key is not None and outgoing.card_key == key
    return card is not None and card.kind == wanted


def _email_of(member: dict[str, Any] | None) -> str | None:
    if not member:
        return None
    email = member.get("email") or member.get("userPrincipalName")
    return str(email).lower() if email else None
