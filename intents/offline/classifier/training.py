"""The offline parser's training data: the catalog itself plus the utterance files in the repo.

Each request type teaches the classifier through its `examples` (full weight), its title and
description, its `keywords`, its field labels and its enum synonyms (lighter weight), and
`training/requests/<type id>.txt` when such a file exists. The conversation intents and
out-of-scope come from `training/<intent>.txt`. A new type in the catalog is learnt from
its file alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from forms.catalog import Catalog
from forms.spec import RequestTypeSpec
from intents.base import REQUEST_INTENTS_EXTRA
from intents.offline.classifier.model import Example

TRAINING_DIR = Path(__file__).parents[2] / "training"


def read_lines(path: Path) -> list[str]:
    """Non-empty lines of a text file, without `#` comments; [] if there is no file."""
    if not path.is_file():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@cache
def cues() -> dict[str, Any]:
    """Cue words keyed by field name and field kind (training/cues.yaml)."""
    loaded = yaml.safe_load((TRAINING_DIR / "cues.yaml").read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else {}


def _type_examples(spec: RequestTypeSpec, root: Path) -> Iterator[Example]:
    for text in spec.examples:
        yield Example(text, spec.id, 1.0)
    for text in read_lines(root / "requests" / f"{spec.id}.txt"):
        yield Example(text, spec.id, 1.0)
    title, description = str.__str__(spec.title), str.__str__(spec.description)  # English, whoever is spoken to
    yield Example(f"{title}. {description}", spec.id, 0.8)
    yield Example(title, spec.id, 0.8)
    for keyword in spec.keywords:
        yield Example(keyword, spec.id, 0.4)
    for field in spec.fields:
        if field.label:
            yield Example(field.label, spec.id, 0.2)
        for choice in field.choices:
            for synonym in choice.synonyms:
                yield Example(synonym, spec.id, 0.15)


def training_examples(catalog: Catalog, root: Path = TRAINING_DIR) -> list[Example]:
    """Every labelled utterance the classifier learns from, for this catalog."""
    examples: list[Example] = []
    for spec in catalog.types.values():
        examples.extend(_type_examples(spec, root))
    for intent in REQUEST_INTENTS_EXTRA:
        examples.extend(Example(text, intent, 1.0) for text in read_lines(root / f"{intent}.txt"))
    return examples
