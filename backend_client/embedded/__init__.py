"""The embedded reference backend."""

from backend_client.embedded.server import EmbeddedBackend

__all__ = ["EmbeddedBackend"]
