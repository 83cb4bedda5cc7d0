"""`python -m bot` is `frontdoor`."""

from bot.cli import main

main()
