"""Process intelligence: where requests wait, how fast approvals come, what breaks SLAs.

`queries` reads the store into views (tables of figures, no free text); `page` draws them as one
server-rendered HTML page with inline SVG charts; `export` writes the same tables as CSV and JSON;
`web` serves them at `/insight`; `access` decides who may see what and `signin` who is looking
(OpenID Connect); `chat` answers questions about them in chat; `seed` writes a demo history.
What each number means: docs/insight.md.
"""
