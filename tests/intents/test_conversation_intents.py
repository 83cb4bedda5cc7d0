"""The conversation intents are one list: the training files, the rules and the parser follow it."""

from __future__ import annotations

from intents import REQUEST_INTENTS_EXTRA, ConversationIntent
from intents.offline.classifier.intent import _RULES
from intents.offline.classifier.training import TRAINING_DIR
from intents.offline.parser import COMMANDS


def test_every_conversation_intent_has_its_training_file() -> None:
    assert tuple(ConversationIntent) == REQUEST_INTENTS_EXTRA
    assert all((TRAINING_DIR / f"{intent}.txt").is_file() for intent in ConversationIntent)


def test_the_rules_read_every_command_and_only_commands() -> None:
    assert {intent for intent, _ in _RULES} == COMMANDS == set(ConversationIntent) - {ConversationIntent.OUT_OF_SCOPE}
