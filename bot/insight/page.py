"""The /insight page: one server-rendered HTML document, charts drawn inline as SVG.

No script, no external resource: the filters are a form sent with GET, each chart is an SVG of
horizontal bars with its figures in a table right below it, the layout is one column on a phone
and several on a laptop, and everything is reachable with the keyboard (links, form fields,
a skip link to the views).
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode

from bot.insight.queries import TITLES, Table, View

CSS = """
:root{--ink:#1b1f24;--muted:#5a6270;--line:#d6dae0;--bar:#2f6f9f;--bg:#fff;--soft:#f4f6f8;--focus:#b35c00}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{padding:1rem 1.25rem;background:var(--soft);border-bottom:1px solid var(--line)}
h1{margin:0 0 .25rem;font-size:1.5rem}h2{margin:1.5rem 0 .5rem;font-size:1.25rem}h3{margin:1rem 0 .35rem;font-size:1rem}
main{padding:0 1.25rem 2rem;max-width:1400px}
a{color:#0b5394}a:focus,input:focus,select:focus,button:focus{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
nav ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem .9rem}
form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:.75rem 0}
label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
input,select,button{font:inherit;padding:.3rem .4rem;border:1px solid #8a929e;border-radius:4px;
background:#fff;color:var(--ink)}
button{background:var(--bar);color:#fff;border-color:var(--bar);cursor:pointer}
section.view{border-top:2px solid var(--line);margin-top:1.5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,420px),1fr));gap:1rem 2rem}
.card{min-width:0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border-bottom:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}
svg{max-width:100%;height:auto;display:block}
.exports{font-size:.9rem}.note{color:var(--muted);font-size:.85rem;margin:.25rem 0}
.who{margin:0 0 .5rem;font-size:.9rem;text-align:right;overflow-wrap:anywhere}
@media (max-width:600px){body{font-size:14px}main,header{padding-left:.75rem;padding-right:.75rem}}
"""


def _cell(value: Any) -> tuple[str, bool]:
    if value is None:
        return "–", True
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, int | float):
        return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip("."), True
    return escape(str(value)), False


def _chart(table: Table) -> str:
    """Horizontal bars of the table's value column, labelled; hidden from screen readers (the
    table below says the same)."""
    assert table.chart is not None
    label_col, value_col = table.chart
    li, vi = table.columns.index(label_col), table.columns.index(value_col)
    data = [(str(row[li]), float(row[vi] or 0)) for row in table.rows][:15]
    if not data:
        return ""
    top = max(v for _, v in data) or 1.0
    row_h, label_w, bar_w = 22, 170, 260
    height = row_h * len(data) + 6
    parts = [
        f'<svg viewBox="0 0 {label_w + bar_w + 70} {height}" role="img" aria-hidden="true" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg" class="chart">'
    ]
    for i, (label, value) in enumerate(data):
        y = i * row_h + 3
        width = max(bar_w * value / top, 1 if value else 0)
        short = label if len(label) <= 26 else label[:25] + "…"
        shown, _ = _cell(int(value) if value.is_integer() else value)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12" fill="#1b1f24">'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 7}" fill="#2f6f9f"/>'
            f'<text x="{label_w + width + 4:.1f}" y="{y + 15}" font-size="12" fill="#1b1f24">{shown}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(view: View, table: Table) -> str:
    ident = f"{view.name}-{table.name}"
    head = "".join(
        f'<th scope="col" class="{"n" if _numeric(table, i) else ""}">{escape(c.replace("_", " "))}</th>'
        for i, c in enumerate(table.columns)
    )
    body = []
    for row in table.rows:
        cells = []
        for value in row:
            text, numeric = _cell(value)
            cells.append(f'<td class="n">{text}</td>' if numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(table.columns)}">nothing in this period</td></tr>')
    chart = _chart(table) if table.chart and table.rows else ""
    return (
        f'<div class="card" id="{ident}"><h3>{escape(table.title)}</h3>{chart}'
        f'<div class="scroll"><table data-table="{escape(table.name)}" data-view="{escape(view.name)}">'
        f"<caption>{escape(table.title)} (table)</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div></div>"
    )


def _numeric(table: Table, index: int) -> bool:
    return any(isinstance(row[index], int | float) and not isinstance(row[index], bool) for row in table.rows)


def _select(name: str, label: str, options: list[tuple[str, str]], chosen: str | None) -> str:
    items = ['<option value="">all</option>'] + [
        f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(text)}</option>'
        for v, text in options
    ]
    return f'<label for="f-{name}">{label}<select id="f-{name}" name="{name}">{"".join(items)}</select></label>'


def render_page(
    views: list[View],
    choices: dict[str, list[tuple[str, str]]],
    query: dict[str, str],
    who: tuple[str, str] | None = None,
) -> str:
    """The whole page. `choices`: the options of each filter (type, entity, department, role);
    `who`: the name and email of the person signed in (OpenID Connect), shown with a sign-out link."""
    first = views[0]
    since, until = first.filters.get("since", ""), first.filters.get("until", "")
    form = (
        '<form method="get" action="/insight" aria-label="Filters">'
        f'<label for="f-since">From<input type="date" id="f-since" name="since" value="{escape(since)}"></label>'
        f'<label for="f-until">To<input type="date" id="f-until" name="until" value="{escape(until)}"></label>'
        + _select("type", "Request type", choices.get("type", []), query.get("type"))
        + _select("entity", "Legal entity", choices.get("entity", []), query.get("entity"))
        + _select("department", "Department", choices.get("department", []), query.get("department"))
        + _select("role", "Role", choices.get("role", []), query.get("role"))
        + '<button type="submit">Apply</button> <a href="/insight">Clear</a></form>'
    )
    qs = urlencode({k: v for k, v in query.items() if v})
    suffix = f"?{qs}" if qs else ""
    nav = "".join(f'<li><a href="#{v.name}">{escape(v.title)}</a></li>' for v in views)
    sections = []
    for view in views:
        notes = "".join(f'<p class="note">{escape(n)}</p>' for n in view.notes)
        exports = (
            f'<p class="exports">Export: <a href="/insight/{view.name}.csv{suffix}">CSV</a> · '
            f'<a href="/insight/{view.name}.json{suffix}">JSON</a></p>'
        )
        tables = "".join(_table(view, t) for t in view.tables)
        sections.append(
            f'<section class="view" id="{view.name}" aria-labelledby="{view.name}-h">'
            f'<h2 id="{view.name}-h">{escape(view.title)}</h2>{exports}{notes}'
            f'<div class="grid">{tables}</div></section>'
        )
    period = f"{first.period[0][:10]} to {first.period[1][:16].replace('T', ' ')} UTC"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Front Door — Process intelligence</title><style>{CSS}</style></head><body>"
        '<a class="skip" href="#views">Skip to the views</a>'
        f"<header>{_signed_in(who)}<h1>Process intelligence</h1>"
        f'<p class="note">Where requests wait, how fast approvals come, what breaks SLAs. Period: {escape(period)}; '
        f"figures as of {escape(first.now[:16].replace('T', ' '))} UTC.</p>"
        f'{form}<nav aria-label="Views"><ul>{nav}</ul></nav></header>'
        f'<main id="views">{"".join(sections)}</main></body></html>'
    )


def _signed_in(who: tuple[str, str] | None) -> str:
    if who is None:
        return ""
    name, email = who
    shown = f"{escape(name)} ({escape(email)})" if name and name != email else escape(email)
    return f'<p class="who">Signed in as <strong>{shown}</strong> · <a href="/insight/signout">Sign out</a></p>'


__all__ = ["TITLES", "render_page"]
