"""A view as CSV and JSON: the same tables, the same numbers as the page."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bot.insight.queries import View


def as_json(view: View) -> dict[str, Any]:
    return {
        "view": view.name,
        "title": view.title,
        "now": view.now,
        "period": {"from": view.period[0], "to": view.period[1]},
        "filters": view.filters,
        "tables": {t.name: {"title": t.title, "columns": t.columns, "rows": t.rows} for t in view.tables},
        "notes": view.notes,
    }


def json_text(view: View) -> str:
    return json.dumps(as_json(view), ensure_ascii=False, indent=1)


def csv_text(view: View) -> str:
    """Each table in turn: a header row (`table` then its columns) and its rows, a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for index, table in enumerate(view.tables):
        if index:
            writer.writerow([])
        writer.writerow(["table", *table.columns])
        for row in table.rows:
            writer.writerow([table.name, *("" if v is None else v for v in row)])
    return out.getvalue()


def plain_text(view: View) -> str:
    """The tables aligned for a terminal (`frontdoor report --format table`)."""
    lines = [f"{view.title} — {view.period[0][:10]} to {view.period[1][:16]} (UTC)"]
    for table in view.tables:
        lines += ["", table.title]
        cells = [table.columns, *([("" if v is None else str(v)) for v in row] for row in table.rows)]
        widths = [max(len(str(row[i])) for row in cells) for i in range(len(table.columns))]
        for number, row in enumerate(cells):
            lines.append("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
            if number == 0:
                lines.append("  ".join("-" * w for w in widths))
        if not table.rows:
            lines.append("(none)")
    return "\n".join(lines) + "\n"
