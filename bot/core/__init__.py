"""The engine: channel-neutral conversation, approvals and a request's life."""

from bot.core import messages as _messages
from bot.core.messages_es import ES as _ES
from forms.language import SPANISH, catalogue

# Every sentence of the catalogue becomes a `Text` carrying its Spanish, once the whole module has
# run (wherever in it a sentence is written), before any other module can import one.
catalogue(vars(_messages), {SPANISH: _ES})
