"""The held-out conversations of tests/conversations (its `fresh` and `batch3` folders): two later
batches in twelve new voices, written without looking at the parser and never tuned on. A file
of their own, so that the test runner's two workers share the conversations with
test_conversations.py."""

from __future__ import annotations

import asyncio

import pytest

from tests.conversations.runner import HERE, run_all, summary

HELD_OUT = {"fresh": (36, 17), "batch3": (24, 10)}
"""(conversations, ended right now). Their first measurement, on the code before any of the
understanding work, was 9 of 36 and 7 of 24."""


@pytest.mark.parametrize("folder", sorted(HELD_OUT))
def test_held_out_conversations_do_not_slip(folder: str) -> None:
    outcomes = asyncio.run(run_all(folder=HERE / folder))
    result = summary(outcomes)
    count, floor = HELD_OUT[folder]
    wrong = "\n".join(f"{o.name}: {'; '.join(o.problems)}" for o in outcomes if not o.right)
    assert result["conversations"] == count
    assert result["ended_right"] >= floor, wrong
