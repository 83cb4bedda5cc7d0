"""A small sparse linear classifier in pure Python: TF-IDF centroids refined by a perceptron.

Training takes a few hundred milliseconds for the catalog's examples and the utterance files;
scoring one message touches only the features it has.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from intents.offline.text import features, normalise

Weights = dict[str, dict[str, float]]


@dataclass(frozen=True)
class Example:
    """One training utterance, its label and how much it counts."""

    text: str
    label: str
    weight: float = 1.0


@dataclass
class LinearModel:
    """Per-feature class weights; `scores` is a dot product per class."""

    labels: tuple[str, ...]
    idf: dict[str, float] = field(default_factory=dict)
    weights: Weights = field(default_factory=dict)
    default_idf: float = 1.0

    def vector(self, text: str) -> dict[str, float]:
        raw = features(text)
        known = {k: v * self.idf[k] for k, v in raw.items() if k in self.idf}
        return normalise(known)

    def scores(self, vector: dict[str, float]) -> dict[str, float]:
        totals = dict.fromkeys(self.labels, 0.0)
        for key, value in vector.items():
            for label, weight in self.weights.get(key, {}).items():
                totals[label] += value * weight
        return totals


def _idf(vectors: Sequence[dict[str, float]]) -> dict[str, float]:
    df: dict[str, int] = {}
    for vec in vectors:
        for key in vec:
            df[key] = df.get(key, 0) + 1
    total = len(vectors)
    return {k: math.log((1 + total) / (1 + n)) + 1.0 for k, n in df.items()}


def _add(weights: Weights, vector: dict[str, float], label: str, scale: float) -> None:
    for key, value in vector.items():
        row = weights.setdefault(key, {})
        row[label] = row.get(label, 0.0) + value * scale


ORDERS = 5
"""Models trained on the examples in this many orders (the file order, then shuffles with fixed
seeds) and averaged into one: a perceptron depends on the order it sees its examples in, and a
line more or less in the training files moved messages near a boundary from one type to
another. Measured on the development, probe, fresh, voices and CLINC150 development sets: one
order 0.970–1.000 intent accuracy, five orders equal or better on each (CLINC150's out-of-scope
development queries 0.97 → 0.99); training takes five times as long (about 4 s, once: the model
is cached on disk), reading a message no longer."""


def train(examples: Sequence[Example], epochs: int = 8, margin: float = 0.3, orders: int = ORDERS) -> LinearModel:
    """`orders` models (see `ORDERS`) averaged: a linear model's average is one linear model."""
    models = [_train_one(examples if i == 0 else _shuffled(examples, i), epochs, margin) for i in range(orders)]
    first = models[0]
    if len(models) > 1:
        averaged: Weights = {}
        for one in models:
            for key, row in one.weights.items():
                into = averaged.setdefault(key, {})
                for label, weight in row.items():
                    into[label] = into.get(label, 0.0) + weight / len(models)
        first.weights = averaged
    return first


def _shuffled(examples: Sequence[Example], seed: int) -> list[Example]:
    order = list(examples)
    random.Random(seed).shuffle(order)
    return order


def _train_one(examples: Sequence[Example], epochs: int, margin: float) -> LinearModel:
    """Centroids of the classes, then averaged perceptron passes on the examples still misread.

    The weights are averaged over every step of the passes (the usual trick: keep the sum of
    each update times the step it was made at), so a few lines more or less in the training
    files move the model a little, not a lot."""
    labels = tuple(sorted({e.label for e in examples}))
    raw = [features(e.text) for e in examples]
    model = LinearModel(labels=labels, idf=_idf(raw))
    vectors = [normalise({k: v * model.idf[k] for k, v in r.items()}) for r in raw]
    mass: dict[str, float] = {}
    for example in examples:
        mass[example.label] = mass.get(example.label, 0.0) + example.weight
    for vector, example in zip(vectors, examples, strict=True):
        _add(model.weights, vector, example.label, example.weight / math.sqrt(mass[example.label]))
    sums: Weights = {k: {} for k in model.weights}
    items = [
        ([(model.weights[k], sums[k], v) for k, v in vec.items()], e.label, e.weight)
        for vec, e in zip(vectors, examples, strict=True)
    ]
    clock = [0]
    for _ in range(epochs):
        changed, items = _epoch(items, labels, margin, clock)
        if not changed:
            break
    steps = max(1, clock[0])
    for key, row in sums.items():
        weights = model.weights[key]
        for label, total in row.items():
            weights[label] -= total / steps
    return model


Item = tuple[list[tuple[dict[str, float], dict[str, float], float]], str, float]


def _epoch(items: list[Item], labels: tuple[str, ...], margin: float, clock: list[int]) -> tuple[int, list[Item]]:
    """One perceptron pass; examples read with a wide margin leave the later passes."""
    changed, keep = 0, []
    for item in items:
        clock[0] += 1
        pairs, label, weight = item
        totals = dict.fromkeys(labels, 0.0)
        for row, _, value in pairs:
            for other, w in row.items():
                totals[other] += value * w
        own = totals.pop(label)
        rival = max(totals, key=totals.__getitem__)
        gap = own - totals[rival]
        if gap < 3 * margin * weight:
            keep.append(item)
        if gap < margin * weight:
            step = 0.5 * weight
            now = clock[0]
            for row, total, value in pairs:
                row[label] = row.get(label, 0.0) + value * step
                row[rival] = row.get(rival, 0.0) - value * step
                total[label] = total.get(label, 0.0) + now * value * step
                total[rival] = total.get(rival, 0.0) - now * value * step
            changed += 1
    return changed, keep


def softmax(scores: dict[str, float], temperature: float) -> dict[str, float]:
    top = max(scores.values())
    exps = {k: math.exp((v - top) / temperature) for k, v in scores.items()}
    total = sum(exps.values())
    return {k: v / total for k, v in exps.items()}
