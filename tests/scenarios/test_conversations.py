"""The conversations of tests/conversations, written in six voices without looking at the parser,
each judged against the outcome it must reach. Their first measurement (32 of 82 ended right) is
the honest figure; this test keeps what has been won since from slipping back."""

from __future__ import annotations

import asyncio

from tests.conversations.runner import run_all, summary

ENDED_RIGHT_AT_LEAST = 69


def test_conversations_end_right_at_least_as_often_as_before() -> None:
    outcomes = asyncio.run(run_all())
    result = summary(outcomes)
    wrong = "\n".join(f"{o.name}: {'; '.join(o.problems)}" for o in outcomes if not o.right)
    assert result["conversations"] >= 82
    assert result["ended_right"] >= ENDED_RIGHT_AT_LEAST, wrong
