"""The `people` table: the language each person writes in (see `bot.core.speech`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store import repo
from bot.store.models import PersonLanguage

_CACHE = "languages"
"""The session's `info` key of the languages read in its transaction."""


def languages(session: Session) -> dict[str, str | None]:
    cached: dict[str, str | None] | None = session.info.get(_CACHE)
    if cached is None:
        cached = session.info[_CACHE] = {}
    return cached


def language_of(session: Session, email: str) -> str | None:
    """The language `email` last wrote in, if it was ever told (read once a transaction)."""
    known = languages(session)
    if email not in known:
        known[email] = session.execute(
            select(PersonLanguage.language).where(PersonLanguage.email == email)
        ).scalar_one_or_none()
    return known[email]


def remember(session: Session, email: str, language: str, now: datetime) -> None:
    """`email` writes in `language` from now on (written only when it changes)."""
    if language_of(session, email) == language:
        return
    repo.upsert(session, PersonLanguage, ("email",), {"email": email, "language": language, "updated_at": now})
    languages(session)[email] = language
