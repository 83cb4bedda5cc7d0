"""Which intent a message carries: rules for the conversation intents, a small trained classifier
for the request types, its training data and on-disk cache, and why a message is out of scope."""
