"""What the engine remembers of a conversation besides the form's values: how many replies in a
row left the field asked for empty, and a second request the person mentioned, noted for later
(then offered once the first is closed). Kept in the draft's `place_info` JSON under one key, so
no column of its own is needed; `source` is the place without it (what a request records)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.store.models import Draft

KEY = "notes"
MISSED = "missed"
"""{"field": name, "times": n}: replies in a row that gave nothing the field asked for could use."""
LATER = "later"
"""[{"type", "values", "unsure"}]: requests mentioned alongside this one, to offer when it closes."""
OFFER = "offer"
"""{"type", "values", "unsure"}: the request offered once the one before it was closed (on an idle
draft, with no type), started when the person says yes."""


def get(draft: Draft) -> dict[str, Any]:
    return dict((draft.place_info or {}).get(KEY) or {})


def put(draft: Draft, key: str, value: Any) -> None:
    """Remember `value` under `key` (None forgets it); the JSON column is written anew."""
    info = dict(draft.place_info or {})
    kept = dict(info.get(KEY) or {})
    if value is None or value == []:
        kept.pop(key, None)
    else:
        kept[key] = value
    if kept:
        info[KEY] = kept
    else:
        info.pop(KEY, None)
    if info != (draft.place_info or {}):
        draft.place_info = info


def source(place_info: Mapping[str, Any] | None) -> dict[str, Any]:
    """The place a draft was written in, without the engine's notes."""
    return {k: v for k, v in (place_info or {}).items() if k != KEY}
