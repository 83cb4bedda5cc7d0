"""Writes an acknowledgement waits for, sent from the event loop (PostgreSQL).

An inbound event is acknowledged once its row is committed (`bot.inbox`). Sent through a
database thread, that write would wait for a thread, then for the interpreter's lock twice more
(the thread takes it to run, the event loop to carry on) while engine turns hold it: under load,
milliseconds each time. So on PostgreSQL these writes go out from the event loop itself, on a few
asyncio connections of their own (psycopg's), in autocommit: one statement, committed as it runs —
no BEGIN and COMMIT round trips, no ping on checkout, no thread. The server has flushed the commit
to its log before it answers, as for any transaction. Writes that arrive together run side by side
on different connections, and the server flushes their commits together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine
from sqlalchemy.sql.expression import UpdateBase

SIZE = 8
"""Connections at most, opened as needed. A connection carries one statement at a time, and its
answer is read when the event loop comes round to it: under load that is one statement per turn of
the loop, so four connections were measured falling behind 200 events a second (the
acknowledgements queued for a connection, hundreds of milliseconds); eight did not."""

Prepared = tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]
"""A statement as the driver takes it, and what turns values into its parameters."""


class Keeper:
    """Runs single statements from the event loop on connections of its own, each committed by itself."""

    def __init__(self, engine: Engine, size: int = SIZE) -> None:
        self.engine, self.size = engine, size
        self._prepared: dict[tuple[UpdateBase, tuple[str, ...]], Prepared] = {}
        self._idle: list[psycopg.AsyncConnection[Any]] = []
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def first(self, statement: UpdateBase, values: dict[str, Any]) -> dict[str, Any] | None:
        """Run `statement` with `values`, committed by itself; the first row it returns (by column
        name), or None. A connection found broken (the server restarted) is replaced and the
        statement sent again: it must be safe to run twice (an INSERT that skips a repeated key)."""
        sql, parameters = self._prepare(statement, values)
        bound = parameters(values)
        async with self._slots_here():
            connection = self._idle.pop() if self._idle else await self._connect()
            try:
                return await self._run(connection, sql, bound)
            except psycopg.OperationalError:
                if not connection.broken:
                    raise
                self.close()  # the idle ones went with the same server
            return await self._run(await self._connect(), sql, bound)

    async def _run(
        self, connection: psycopg.AsyncConnection[Any], sql: str, parameters: dict[str, Any]
    ) -> dict[str, Any] | None:
        try:
            async with connection.cursor() as cursor:
                await cursor.execute(sql, parameters)
                if cursor.description is None:
                    return None
                found = await cursor.fetchone()
                names = [column.name for column in cursor.description]
        finally:
            if connection.info.transaction_status == TransactionStatus.IDLE:
                self._idle.append(connection)
            else:  # broken, or interrupted in the middle of a statement (cancelled): not used again
                connection.pgconn.finish()
        return None if found is None else dict(zip(names, found, strict=True))

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        args, options = self.engine.dialect.create_connect_args(self.engine.url)
        return await psycopg.AsyncConnection.connect(*args, **options, autocommit=True)

    def _slots_here(self) -> asyncio.Semaphore:
        """Connections belong to the event loop they were opened on: on another loop (a new
        `asyncio.run`), start afresh."""
        loop = asyncio.get_running_loop()
        if self._slots is None or self._loop is not loop:
            self.close()
            self._slots, self._loop = asyncio.Semaphore(self.size), loop
        return self._slots

    def _prepare(self, statement: UpdateBase, values: dict[str, Any]) -> Prepared:
        """The statement compiled for the driver (once), and its parameters as SQLAlchemy would
        send them: the statement's own constants added, each value converted by its column's type
        (JSON, UTC datetimes)."""
        key = (statement, tuple(values))
        prepared = self._prepared.get(key)
        if prepared is None:
            dialect = self.engine.dialect
            compiled = statement.compile(dialect=dialect, column_keys=list(values))
            processors = {
                name: process
                for name, bind in compiled.binds.items()
                if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
            }
            escaped = dict(compiled.escaped_bind_names)

            def parameters(given: dict[str, Any]) -> dict[str, Any]:
                bound = compiled.construct_params(given, escape_names=False) or {}
                converted = {name: processors[name](v) if name in processors else v for name, v in bound.items()}
                return {escaped.get(name, name): value for name, value in converted.items()}

            prepared = self._prepared[key] = (str(compiled), parameters)
        return prepared

    def close(self) -> None:
        """Close the idle connections (libpq's close waits for nothing, so any loop or thread may)."""
        idle, self._idle = self._idle, []
        for connection in idle:
            connection.pgconn.finish()
