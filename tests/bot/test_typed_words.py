"""More buttons said in words (English and Spanish), the question "what else do you need?", and
the words that must not be read as either."""

from __future__ import annotations

import pytest

from bot.core.events import ActionName
from bot.core.typed import asks_what_is_missing, says_yes_first, typed_action

CONFIRM, EDIT, CANCEL = ActionName.CONFIRM, ActionName.EDIT, ActionName.CANCEL


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("yes submit it", CONFIRM),
        ("go ahead", CONFIRM),
        ("send it", CONFIRM),
        ("looks good, submit", CONFIRM),
        ("yes, go ahead and send it", CONFIRM),
        ("sounds good", CONFIRM),
        ("sí, envíalo", CONFIRM),
        ("sí, envíelo", CONFIRM),
        ("envíalo", CONFIRM),
        ("adelante", CONFIRM),
        ("confirmo", CONFIRM),
        ("correcto, envíalo", CONFIRM),
        ("no, cancel", CANCEL),
        ("cancélalo", CANCEL),
        ("olvídalo", CANCEL),
        ("no, forget it", CANCEL),
        ("cancel the whole thing", CANCEL),
        ("no", EDIT),
        ("no thanks", EDIT),
    ],
)
def test_words_that_press_a_button(text: str, action: ActionName) -> None:
    assert typed_action(text) is action


@pytest.mark.parametrize(
    "text",
    [
        "don't send it yet",
        "don't submit yet",
        "send it tomorrow",
        "not yet",
        "no, but send it",
        "no send it",
        "yes, do the Kronos access for her now",
        "perfect, thanks",
        "and",
    ],
)
def test_words_that_are_no_button(text: str) -> None:
    assert typed_action(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "What do you need from me?",
        "what else do you need?",
        "what's missing?",
        "¿qué más necesitas?",
        "¿qué falta?",
        "what else?",
        "ok, what else do you need from me",
        "is anything missing?",
        "anything else?",
        "what do I still need to tell you?",
        "¿Qué me falta?",
    ],
)
def test_asking_what_is_missing(text: str) -> None:
    assert asks_what_is_missing(text)


@pytest.mark.parametrize(
    "text",
    [
        "what do you need to buy?",
        "what happens next?",
        "missing the cost center",
        "what is the cost center",
        "the item is missing a part",
        "what else do you need " + "x" * 80,
    ],
)
def test_not_asking_what_is_missing(text: str) -> None:
    assert not asks_what_is_missing(text)


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        ("yes, do the Kronos access for her now", True),
        ("sí, hazla también", True),
        ("ok thanks", False),
        ("yesterday the sink leaked", False),
        ("no", False),
        ("please cancel it", False),
    ],
)
def test_a_message_that_opens_with_yes(text: str, yes: bool) -> None:
    assert says_yes_first(text) is yes
