"""A small aiohttp server on 127.0.0.1 with an ephemeral port, for stand-ins of outside services."""

from __future__ import annotations

from aiohttp import web


class LoopbackServer:
    """Subclasses add their routes in `routes`; `start()` serves them and sets `address`."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.address = ""

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def serve(self) -> None:
        app = web.Application()
        self.routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.address = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
