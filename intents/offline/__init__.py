"""The offline parser: no network, no model download. `parser` puts the pieces together;
`classifier/` finds the intent, `extractors/` the values, `text` holds the word helpers both use."""

from intents.offline.parser import OfflineParser

__all__ = ["OfflineParser"]
