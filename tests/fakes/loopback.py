"""A small aiohttp server on 127.0.0.1 with an ephemeral port, for stand-ins of outside services;
and the two things a test of a `frontdoor run` process needs: a free port and its readiness."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
from aiohttp import web


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_ready(base: str, process: asyncio.subprocess.Process, timeout: float = 60) -> None:
    """Return once `frontdoor run` at `base` answers /readyz with 200; fail if it exits first."""
    async with aiohttp.ClientSession() as http:
        for _ in range(int(timeout * 10)):
            if process.returncode is not None:
                raise AssertionError(f"frontdoor run exited with {process.returncode}")
            try:
                async with http.get(f"{base}/readyz") as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("frontdoor run did not become ready")


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
