"""Natural language to a form: parsers behind one interface, redaction, evaluation."""

from intents.base import REQUEST_INTENTS_EXTRA, ConversationIntent, ParseContext, Parser, People, Proposal

__all__ = ["REQUEST_INTENTS_EXTRA", "ConversationIntent", "ParseContext", "Parser", "People", "Proposal"]
