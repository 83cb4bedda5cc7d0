"""The bolt listeners: acknowledge at once, then translate (inbound) and hand to the engine.

Bolt runs with `process_before_response`: a listener's return is the acknowledgement, so each
one keeps the event in the store (`Host.keep`, one short transaction: Slack does not send again
what it was told was received, so an event is durable before it is acknowledged), starts its
processing in the background and returns — Slack has its answer in milliseconds, whatever the
Web API or the engine take after. A process killed after the acknowledgement processes the kept
event when it restarts (another replica after the lease). The only work done before the answer
is an edit form's submission, whose refused fields go back in it (`response_action: errors`),
and a menu's options; both answer within `ANSWER_WITHIN` seconds whatever happens (a form still
being checked then says so and is updated when the check ends). Retries are dropped here when
seen lately, by the kept event's key, and for good by the engine's store; work refused by
Slack's rate limits is run again after its Retry-After. Deciding who may do what is the
engine's: the adapter only says who pressed what.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.channels.base import Host
from bot.channels.slack import inbound, render
from bot.channels.slack.background import Background, patiently
from bot.channels.slack.home import HomeTabs
from bot.channels.slack.inbound import Said
from bot.channels.slack.people import People
from bot.core import messages as say
from bot.core.events import Action, ActionName, Message, Place
from bot.core.replies import Card
from forms.language import detect, speaking

log = logging.getLogger("frontdoor.slack")

COMMAND = "/request"
MESSAGE_SHORTCUT = "turn_into_request"
GLOBAL_SHORTCUT = "new_request"
EVENTS = ("message", "app_mention", "app_home_opened")
BUTTONS = re.compile("^(" + "|".join(a.value for a in ActionName) + r")(:\d+)?$")
"""The action ids of the bot's buttons: an action's name, numbered when several buttons of a card
share it (a field's choices, `submit_edit:1` …, saved as an edit of the form would be)."""
ASK_WHY = (ActionName.REJECT, ActionName.REQUEST_INFO)
ANSWER_WITHIN = 2.0  # seconds: Slack waits 3 for an answer that carries something (form errors, options)


class SlackAdapter:
    """The listeners of one Front Door process's bolt app."""

    def __init__(self, host: Host, bolt: AsyncApp, people: People, home: HomeTabs, background: Background) -> None:
        self.host, self.bolt, self.client = host, bolt, bolt.client
        self.people, self.home, self.background = people, home, background
        self.recent = inbound.Recent()
        self.keeping: dict[str, asyncio.Event] = {}  # events being kept, by key: their retries wait
        host.on_kept(SOURCE, self._process)
        bolt.event("message")(self.on_message)
        bolt.event("app_mention")(self.on_mention)
        bolt.event("app_home_opened")(self.on_home)
        bolt.command(COMMAND)(self.on_command)
        bolt.shortcut(MESSAGE_SHORTCUT)(self.on_message_shortcut)
        bolt.shortcut(GLOBAL_SHORTCUT)(self.on_global_shortcut)
        bolt.action(BUTTONS)(self.on_button)
        bolt.view(render.EDIT_FORM)(self.on_edit_form)
        bolt.view(render.REASON_FORM)(self.on_reason_form)
        bolt.view(render.PICK_TYPE)(self.on_type_picked)
        bolt.options(render.VALUE)(self.on_options)

    async def later(self, key: str, user: str, work: str, /, **args: Any) -> None:
        """Keep the event (`work` and its arguments, all JSON) before the listener returns, so it
        survives a crash after the acknowledgement; process it after (again after a rate limit's
        Retry-After). A retry of a kept event (`key`) does nothing; one that arrives while the
        event is being kept is answered once it is, and keeps it itself if that failed (an event
        that could not be kept was not acknowledged, so its retry must not be dropped). Events
        are processed side by side, as they come (the engine serialises what touches one draft or
        step); queuing each person's events behind each other would cost a claim round per event
        under load."""
        while (keeping := self.keeping.get(key)) is not None:
            await keeping.wait()
        if not self.recent.first(key):
            return
        payload = {"work": work, "key": key, "user": user, "args": args}
        self.keeping[key] = asyncio.Event()
        try:
            await self.host.keep(SOURCE, key, None, payload, lambda job: self.background.spawn(job, key))
        except BaseException:
            self.recent.forget(key)
            raise
        finally:
            self.keeping.pop(key).set()

    async def _process(self, kept: dict[str, Any]) -> None:
        """Process a kept event: here, or after a restart, or on another replica."""
        work = _WORK[str(kept["work"])]
        await patiently(lambda: work(self, **dict(kept["args"])), str(kept["key"]))

    # -- messages ----------------------------------------------------------------------------
    async def on_message(self, body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        said = inbound.said_in_message(body, event, context.bot_user_id or inbound.bot_user(body))
        if said is not None:
            await self.later(said.event_id, said.user, "read", said=said.as_dict())

    async def on_mention(self, body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        said = inbound.said_in_mention(body, event, context.bot_user_id or inbound.bot_user(body))
        if said is not None:
            await self.later(said.event_id, said.user, "read", said=said.as_dict())

    async def _read_kept(self, said: dict[str, Any]) -> None:
        await self._read(Said.from_dict(said))

    async def _read(self, said: Said, picked: bool = False) -> None:
        person = await self.people.email(said.user)
        if said.needs_draft and not await self.host.has_draft(person, said.place.key):
            return  # a thread conversation the bot is not part of
        await self.people.learn_mentions(said.text)
        if said.place.direct:
            await self.people.remember(person, said.user, said.place.conversation)
        await self.host.handle(Message(person, said.place, said.text, said.event_id, picked=picked))

    async def _read_in_dm(self, user: str, text: str, key: str, picked: bool = False) -> None:
        channel = await self.people.dm(user)
        await self._read(Said(user, inbound.dm_place(channel, user), text, key), picked)

    async def on_command(self, ack: Any, command: dict[str, Any]) -> None:
        text = inbound.unescape(str(command.get("text") or "")).strip()
        in_dm = command.get("channel_name") == "directmessage"
        if text and not in_dm:
            with speaking(detect(text)):  # answered at once: in the words' language, when they tell
                await ack(text=str(say.CONTINUE_IN_DM))
        else:
            await ack()
        user, trigger, key = str(command["user_id"]), str(command["trigger_id"]), f"command:{command['trigger_id']}"
        if text:
            await self.later(key, user, "read_in_dm", user=user, text=text, key=key)
        else:
            await self.later(key, user, "pick_type", trigger=trigger, user=user)

    async def on_message_shortcut(self, ack: Any, shortcut: dict[str, Any]) -> None:
        await ack()
        text = inbound.unescape(str((shortcut.get("message") or {}).get("text") or ""))
        key, user = f"shortcut:{shortcut['trigger_id']}", str(shortcut["user"]["id"])
        await self.later(key, user, "read_in_dm", user=user, text=text, key=key)

    async def on_global_shortcut(self, ack: Any, shortcut: dict[str, Any]) -> None:
        await ack()
        trigger = str(shortcut["trigger_id"])
        user = str(shortcut["user"]["id"])
        await self.later(f"shortcut:{trigger}", user, "pick_type", trigger=trigger, user=user)

    async def _language(self, user: str | None) -> str | None:
        """The language a Slack user is spoken to in (None when who they are is not known)."""
        return await self.host.language_of(await self.people.email(user)) if user else None

    async def _pick_type(self, trigger: str, user: str | None = None) -> None:
        with speaking(await self._language(user)):
            types = [(t.id, str(t.title)) for t in self.host.catalog.types.values()]
            view = render.pick_type_view(types)
        await self.client.views_open(trigger_id=trigger, view=view)

    async def on_type_picked(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        type_id = inbound.form_values(view).get(render.TYPE_BLOCK)
        if type_id in self.host.catalog:
            title = self.host.catalog.get(str(type_id)).title
            key, user = inbound.view_key(body), str(body["user"]["id"])
            # The English title reads as its type whatever the person speaks; `picked` keeps their language.
            await self.later(key, user, "read_in_dm", user=user, text=title, key=key, picked=True)

    # -- buttons and forms ---------------------------------------------------------------------
    async def on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        name = inbound.action_name(action)
        if name is not None:
            user = str(body["user"]["id"])
            await self.later(
                inbound.action_key(body, action), user, "pressed", body=body, action=action, name=name.value
            )

    async def _pressed(self, body: dict[str, Any], action: dict[str, Any], name: ActionName | str) -> None:
        name = ActionName(name)
        place, payload = inbound.button_place(body), inbound.button_payload(action)
        person = await self.people.email(body["user"]["id"])
        ref, step, asking = payload.get("request"), payload.get("step"), name is ActionName.REQUEST_INFO
        if name in ASK_WHY and await self.host.may_decide_now(person, ref, step, asking):
            meta = {**payload, "place": place.as_dict()}  # the reason first; the engine decides on its submission
            with speaking(await self.host.language_of(person)):
                view = render.reason_view(name.value, meta)
            await self.client.views_open(trigger_id=body["trigger_id"], view=view)
            return
        await self.host.handle(inbound.decision(person, place, name, payload, inbound.action_key(body, action)))

    async def on_reason_form(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        key = inbound.view_key(body)
        await self.later(key, str(body["user"]["id"]), "reason", body=body, view=view, key=key)

    async def _reason(self, body: dict[str, Any], view: dict[str, Any], key: str) -> None:
        meta = inbound.metadata(view)
        comment = str(inbound.form_values(view).get(render.REASON_BLOCK) or "").strip() or None
        person = await self.people.email(body["user"]["id"])
        place = Place.from_dict(meta["place"])
        await self.host.handle(inbound.decision(person, place, ActionName(meta["action"]), meta, key, comment))

    async def on_edit_form(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Answered after the engine: refused values go back into the modal, under their fields. A
        check that takes longer than Slack waits is answered "checking", then the modal is updated."""
        check = asyncio.ensure_future(self._check_form(body, view))
        language = asyncio.ensure_future(self._language(str(body["user"]["id"])))  # for what the modal says
        try:
            async with asyncio.timeout(ANSWER_WITHIN):
                refused = await asyncio.shield(check)
        except TimeoutError:
            with speaking(language.result() if language.done() and not language.exception() else None):
                shown = render.notice_view(str(say.MODAL_SAVING), str(say.MODAL_CHECKING))
            await ack(response_action="update", view=shown)
            self.background.spawn(self._checked_later(check, view, language), f"form:{view.get('id')}")
            return
        language.cancel()
        errors = render.form_errors(refused) if refused is not None else {}
        if errors:
            await ack(response_action="errors", errors=errors)
        else:
            await ack()

    async def _check_form(self, body: dict[str, Any], view: dict[str, Any]) -> Card | None:
        """Hand the submitted values to the engine; the form card it sends back when it refused some."""
        meta = inbound.metadata(view)
        values = inbound.form_values(view)
        for name, value in values.items():
            if isinstance(value, tuple):
                values[name] = await self.people.email(value[1])
        person = await self.people.email(body["user"]["id"])
        place = Place.from_dict(meta["place"])
        place = Place(
            place.channel, place.conversation, place.thread, place.direct, {**place.extra, "view_id": view.get("id")}
        )
        event = Action(
            person,
            place,
            ActionName.SUBMIT_EDIT,
            draft=meta.get("draft"),
            version=meta.get("version"),
            values=values,
            event_id=inbound.view_key(body),
        )
        out = await self.host.handle(event)
        return next((o.card for o in out if o.kind == "error" and o.card is not None and o.card.form), None)

    async def _checked_later(
        self, check: asyncio.Future[Card | None], view: dict[str, Any], language: asyncio.Future[str | None]
    ) -> None:
        """The modal after a slow check: the form again with its errors under the fields, or saved."""
        refused = await check
        await asyncio.wait([language])
        spoken = None if language.exception() else language.result()
        if refused is not None and render.form_errors(refused):
            users = await self.people.users_of(refused)
            with speaking(spoken):
                shown = render.form_view(refused, inbound.metadata(view), users)
        else:
            with speaking(spoken):
                shown = render.notice_view(str(say.MODAL_SAVED), str(say.MODAL_SAVED_TEXT))
        try:
            await self.client.views_update(view_id=str(view.get("id")), view=shown)
        except SlackApiError as exc:  # closed meanwhile: the answer in the conversation stands
            if exc.response is None or exc.response.get("error") != "not_found":
                raise
            log.info("edit form closed before its check ended")

    async def on_options(self, ack: Any, body: dict[str, Any]) -> None:
        """Choices for a menu searched as the person types (an enum too long for a static menu);
        none when finding them takes longer than Slack waits."""
        try:
            async with asyncio.timeout(ANSWER_WITHIN):
                found = await self._options(body)
        except TimeoutError:
            found = []
        await ack(options=found)

    async def _options(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        person = await self.people.email(body["user"]["id"])
        draft = inbound.metadata(body.get("view") or {}).get("draft")
        choices = await self.host.field_choices(person, draft, str(body.get("block_id")))
        return render.options(choices, str(body.get("value") or ""))

    async def on_home(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home":
            user = str(event["user"])
            await self.later(inbound.event_id(body), user, "publish_home", user=user)

    async def _publish_home(self, user: str) -> None:
        await self.home.publish(user, await self.people.email(user))


SOURCE = "slack"
"""The kept events of this channel (`bot.inbox`)."""
_WORK: dict[str, Callable[Concatenate[SlackAdapter, ...], Awaitable[None]]] = {
    "read": SlackAdapter._read_kept,
    "read_in_dm": SlackAdapter._read_in_dm,
    "pick_type": SlackAdapter._pick_type,
    "pressed": SlackAdapter._pressed,
    "reason": SlackAdapter._reason,
    "publish_home": SlackAdapter._publish_home,
}
"""What a kept event asks for: the work run after the acknowledgement, by name (kept as data)."""
