"""The router: where each message goes when no place is given."""

from __future__ import annotations

from typing import Any

from bot.channels.base import Destination
from bot.channels.local.channel import LocalChannel
from bot.core.replies import Outgoing
from bot.outbox import Router


class Rooms:
    """A channel with some role rooms mapped (as Slack and Teams have from their settings)."""

    def __init__(self, name: str, rooms: set[str]) -> None:
        self.name, self.rooms = name, rooms

    def has_room(self, address: str) -> bool:
        return address in self.rooms

    async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
        return {}

    async def update(self, outgoing: Outgoing, platform_ref: dict[str, Any]) -> None:
        return None


def test_a_role_room_goes_to_the_channel_that_has_it_mapped_else_the_default() -> None:
    local = LocalChannel(lambda line: None)
    teams, slack = Rooms("teams", {"#approvals-finance"}), Rooms("slack", {"#approvals-finance", "#approvals-it"})
    router = Router({"local": local, "teams": teams, "slack": slack}, "local")
    where = lambda to: router.channel_for(None, Outgoing("card", to, "x"))  # noqa: E731
    assert where("#approvals-finance")[0] is teams  # the first that maps it
    assert where("#approvals-it")[0] is slack
    assert where("#approvals-legal")[0] is local  # mapped nowhere: the default shows it
    router.default = "slack"
    assert where("#approvals-finance")[0] is slack  # the default first, when it maps the room
