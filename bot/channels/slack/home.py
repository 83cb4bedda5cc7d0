"""App Home: published when a person opens it, and again whenever something concerning them changes."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.base import Host
from bot.channels.slack import render
from bot.channels.slack.background import Background, patiently
from bot.core.replies import Outgoing
from forms.language import speaking


class HomeTabs:
    """Keeps the App Home of the people who opened it (in this process) up to date."""

    def __init__(self, host: Host, client: AsyncWebClient, background: Background) -> None:
        self.host, self.client, self.background = host, client, background
        self.viewers: dict[str, str] = {}  # email → Slack user id
        self._due: set[str] = set()

    async def publish(self, user: str, person: str) -> None:
        with speaking(await self.host.language_of(person)):  # all of it in the viewer's language
            mine, waiting, delegation = await self.host.home(person)
            view = render.home_view(mine, waiting, delegation)
        await self.client.views_publish(user_id=user, view=view)
        self.viewers[person] = user

    def changed(self, outgoing: Outgoing) -> None:
        """A message about a request was delivered: refresh the Home of those it concerns; any
        other message to a person may be about their delegation (started, ended): refresh theirs."""
        if outgoing.request is not None:
            self.refresh(self.concerned(outgoing.to))
        elif not outgoing.to.startswith("#"):
            self.refresh([outgoing.to])

    def concerned(self, address: str) -> list[str]:
        """The person a message went to, or the holders of the role whose approvals channel it is."""
        if not address.startswith("#"):
            return [address]
        directory = self.host.directory
        roles = [role for role in directory.roles if directory.role_channel(role) == address]
        if not roles and address.startswith("#approvals-"):
            roles = [address.removeprefix("#approvals-")]
        return [p.email for role in roles for p in directory.holders(role, None)]

    def refresh(self, people: Iterable[str]) -> None:
        """Publish again, once for a burst of changes, for those who opened their Home."""
        for person in people:
            user = self.viewers.get(person)
            if user is not None and person not in self._due:
                self._due.add(person)
                self.background.spawn(patiently(partial(self._again, user, person), f"home:{user}"), f"home:{user}")

    async def _again(self, user: str, person: str) -> None:
        self._due.discard(person)  # a change from now on asks for another refresh
        await self.publish(user, person)
