"""A trained classifier kept on disk between processes, so a new process does not train again.

The file is named by a digest of everything training depends on (the labelled examples and
the source of the feature and training code), so a change to the catalog, the utterance files
or that code trains a new model; the folder keeps the newest few files. A file is JSON (never
code), checked for shape when read, and written to a temporary file then renamed, so a reader
sees a whole file or none. A missing, unreadable or damaged file, or a folder that cannot be
written, only means training in this process.

Where: `FRONTDOOR_MODEL_CACHE` (a folder; `off` turns the cache off), else
`$XDG_CACHE_HOME/frontdoor`, else `~/.cache/frontdoor`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from intents.offline.classifier.model import Example, LinearModel

FORMAT = 1
"""The file format's version."""
KEEP = 8
"""How many model files the folder keeps."""
_CODE = (Path(__file__).parents[1] / "text.py", Path(__file__).parent / "model.py")
"""The code a trained model depends on: its source is part of the digest."""


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    chosen = os.environ.get("FRONTDOOR_MODEL_CACHE", "").strip()
    if chosen.lower() in ("off", "none", "0", "false"):
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "frontdoor"


def digest(examples: Sequence[Example]) -> str:
    """What the trained model depends on (examples, feature and training code), as a hex digest."""
    data = json.dumps([FORMAT, [[e.text, e.label, e.weight] for e in examples]], ensure_ascii=False)
    hashed = hashlib.sha256(data.encode("utf-8"))
    for name in _CODE:
        hashed.update(name.read_bytes())
    return hashed.hexdigest()[:32]


def _path(key: str) -> Path | None:
    where = folder()
    return where / f"intent-model-{key}.json" if where is not None else None


def load(key: str) -> LinearModel | None:
    """The model saved under `key`, or None."""
    path = _path(key)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return _model(data, key)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def save(key: str, model: LinearModel) -> None:
    """Save the model under `key` if the folder can be written; never fails."""
    path = _path(key)
    if path is None:
        return
    data = {
        "key": key,
        "labels": list(model.labels),
        "idf": model.idf,
        "weights": model.weights,
        "default_idf": model.default_idf,
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".intent-model-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return
    _prune(path)


def _prune(kept: Path) -> None:
    """Keep the newest few models (other catalogs, older training data); remove the rest."""
    try:
        files = sorted(kept.parent.glob("intent-model-*.json"), key=lambda f: f.stat().st_mtime, reverse=True)
        for old in (f for f in files[KEEP:] if f != kept):
            old.unlink(missing_ok=True)
    except OSError:
        pass


def _model(data: Any, key: str) -> LinearModel:
    """The model in a loaded file, checked for shape (labels, numbers) without copying it."""
    if not isinstance(data, dict) or data.get("key") != key:
        raise ValueError("not this model")
    labels, idf, weights = data["labels"], data["idf"], data["weights"]
    if not (isinstance(labels, list) and all(isinstance(x, str) for x in labels)):
        raise ValueError("labels")
    known = set(labels)
    numbers = (int, float)
    if not (isinstance(idf, dict) and all(isinstance(v, numbers) for v in idf.values())):
        raise ValueError("idf")
    if not isinstance(weights, dict):
        raise ValueError("weights")
    for row in weights.values():
        if not (isinstance(row, dict) and row.keys() <= known and all(isinstance(v, numbers) for v in row.values())):
            raise ValueError("weights")
    return LinearModel(labels=tuple(labels), idf=idf, weights=weights, default_idf=float(data["default_idf"]))
