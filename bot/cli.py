"""The `frontdoor` command line."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.logs import configure as configure_logging
from bot.settings import Settings, SettingsError, load_settings

cli = typer.Typer(add_completion=False, no_args_is_help=True, help="Front Door: chat front door for service requests.")
catalog_cli = typer.Typer(no_args_is_help=True, help="Work with the service catalog.")
db_cli = typer.Typer(no_args_is_help=True, help="Database schema.")
reminders_cli = typer.Typer(no_args_is_help=True, help="SLA reminders.")
cli.add_typer(catalog_cli, name="catalog")
cli.add_typer(db_cli, name="db")
cli.add_typer(reminders_cli, name="reminders")


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"frontdoor: {message}", err=True)
    raise typer.Exit(code)


def settings_or_exit(**overrides: Any) -> Settings:
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        fail(str(exc))
        raise  # unreachable


def _in_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _say_where_logs_go(path: Path | None) -> None:
    if path is not None:
        typer.echo(f"Logs go to {path} (FRONTDOOR_LOG_LEVEL=INFO shows them here instead).")


@cli.command()
def run() -> None:
    """Run Front Door: channels, HTTP endpoints, scheduler, and the embedded backend by default."""
    from bot.runner import serve

    settings = settings_or_exit()
    _say_where_logs_go(configure_logging(settings, terminal=_in_terminal()))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(settings, interactive=sys.stdin.isatty()))


@cli.command()
def chat(
    as_: Annotated[
        str, typer.Option("--as", help="Who you are (an email in the directory).")
    ] = "alice.nguyen@example.org",
    script: Annotated[Path | None, typer.Option(help="Replay a JSON Lines transcript and exit.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object per message.")] = False,
    now: Annotated[str | None, typer.Option(help="Start the clock at this ISO time (scripts).")] = None,
) -> None:
    """The local chat channel, interactive or scripted."""
    from bot.runner import chat_interactive, chat_script

    settings = settings_or_exit()
    if script is not None:
        if not script.exists():
            fail(f"no such script file: {script}")
        configure_logging(settings, quiet=True)
        code = asyncio.run(chat_script(settings, script, json_out=json_out, start=now))
        raise typer.Exit(code)
    _say_where_logs_go(configure_logging(settings, terminal=_in_terminal()))
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(chat_interactive(settings, as_.lower()))


def _parser(settings: Settings, which: str) -> Any:
    from bot.app import build_parser
    from bot.directory import load_directory
    from forms import load_catalog

    if which not in ("offline", "llm"):
        fail("--parser is offline or llm")
    if which == "llm" and settings.llm == "none":
        fail("--parser llm needs FRONTDOOR_LLM=<provider:model>")
    settings = settings if which == "llm" else settings.model_copy(update={"llm": "none"})
    catalog = load_catalog(settings.catalog)
    return build_parser(settings, catalog, load_directory(settings.directory))


@cli.command()
def parse(
    jsonl: Annotated[Path, typer.Option("--jsonl", help="A JSON Lines file with text, now, requester.")],
    parser: Annotated[str, typer.Option(help="offline or llm")] = "offline",
) -> None:
    """Parse each line's text and print one JSON prediction per line."""
    from intents.evaluate import parse_file

    if not jsonl.exists():
        fail(f"no such file: {jsonl}")
    for line in parse_file(jsonl, _parser(settings_or_exit(), parser)):
        typer.echo(json.dumps(line, ensure_ascii=False))


@cli.command("eval")
def eval_(
    file: Annotated[Path, typer.Argument(help="A labelled JSON Lines file.")],
    parser: Annotated[str, typer.Option(help="offline or llm")] = "offline",
    json_out: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Evaluate a parser on a labelled file."""
    from intents.evaluate import evaluate, format_report

    if not file.exists():
        fail(f"no such file: {file}")
    report = evaluate(file, _parser(settings_or_exit(), parser))
    typer.echo(json.dumps(report) if json_out else format_report(report))


@catalog_cli.command("validate")
def catalog_validate(
    path: Annotated[Path | None, typer.Argument(help="A catalog directory or file.")] = None,
    directory: Annotated[
        Path | None, typer.Option(help="Check the approval roles against this directory file (default: the demo).")
    ] = None,
) -> None:
    """Check a catalog (the shipped one by default), and its approval steps against a directory:
    a malformed step (`all_of`, `any`), a `when` naming an unknown field or requester attribute,
    a role nobody holds, a step needing more approvers than the role has are errors, each with
    the file and line; a role whose one holder has no backup is a warning (that person's own
    requests go to the role's backup or manager)."""
    from bot import policy
    from bot.directory import MANAGER, DirectoryError, load_directory
    from forms import CatalogError, load_catalog

    try:
        catalog = load_catalog(path)
        people = load_directory(directory)
    except (CatalogError, DirectoryError) as exc:
        fail(str(exc), code=1)
        return
    used = sorted({r for t in catalog.types.values() for s in t.approvals for r in s.roles if r != MANAGER})
    found = policy.problems(catalog, people)
    if found:
        for problem in found[:-1]:
            typer.echo(f"frontdoor: {problem}", err=True)
        fail(str(found[-1]), code=1)
        return
    for role in people.lonely_roles():
        if role in used:
            typer.echo(
                f"warning: {people.role_label(role)} has one holder and no backup: their own requests go to "
                "the role's manager (give the role a `backup` in the directory)",
                err=True,
            )
    typer.echo(f"ok: {len(catalog.types)} request types in {catalog.source}")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply the schema migrations to the configured database."""
    from bot.store.db import Database

    settings = settings_or_exit()
    Database(settings.database_url).upgrade()
    typer.echo("database is up to date")


@db_cli.command("forget-sums")
def db_forget_sums() -> None:
    """Forget /insight's weekly sums (after writing history into past weeks, e.g. an import):
    each closed week is summed up again when it is next read or at the scheduler's tick."""
    from bot.insight import rollup
    from bot.store.db import Database

    settings = settings_or_exit()
    db = Database(settings.database_url)
    with db.core_transaction() as connection:
        weeks = rollup.forget(connection)
    typer.echo(f"forgot the sums of {weeks} week(s)")


@cli.command()
def doctor() -> None:
    """Check the configuration end to end (database, chat platforms, backend, rooms, holidays);
    exit 1 if anything would not work."""
    import logging

    from bot.doctor import diagnose, summary

    settings = settings_or_exit()
    configure_logging(settings, quiet=True)
    logging.disable(logging.ERROR)  # each check says what it found, in its own line
    findings = asyncio.run(diagnose(settings))
    for finding in findings:
        typer.echo(finding.line())
    typer.echo(summary(findings))
    raise typer.Exit(1 if any(f.level == "problem" for f in findings) else 0)


@reminders_cli.command("sweep")
def reminders_sweep(now: Annotated[str | None, typer.Option(help="Sweep as if at this ISO time.")] = None) -> None:
    """Run one SLA sweep and print what it sent."""
    from bot.runner import sweep_once

    settings = settings_or_exit()
    asyncio.run(sweep_once(settings, now))


# -- dead letters (bot/store/dead.py, bot/core/dead_letters.py) ----------------------------------
outbox_cli = typer.Typer(no_args_is_help=True, help="Messages the outbox gave up on (dead letters).")
cli.add_typer(outbox_cli, name="outbox")


def _outbox_db() -> Any:
    from bot.store.db import Database

    db = Database(settings_or_exit().database_url)
    if not db.is_postgres:
        db.upgrade()  # SQLite migrates itself, as `frontdoor run` does
    return db


@outbox_cli.command("list")
def outbox_list(json_out: Annotated[bool, typer.Option("--json", help="One JSON object a line.")] = False) -> None:
    """List dead messages: id, topic, to whom, attempts, when written, the last error, the text."""
    from bot.store import dead

    db = _outbox_db()
    with db.core_transaction() as connection:
        rows = dead.dead_rows(connection)
    for row in rows:
        line = {
            "id": row.id,
            "topic": row.topic,
            "to": row.payload.get("to") or row.payload.get("ref") or "",
            "request": row.payload.get("request") or row.payload.get("ref"),
            "attempts": row.attempts,
            "created_at": row.created_at.isoformat(),
            "error": row.last_error or "",
            "text": str(row.payload.get("text") or row.payload.get("op") or "")[:120],
        }
        if json_out:
            typer.echo(json.dumps(line, ensure_ascii=False))
        else:
            typer.echo(
                f"{line['id']}\t{line['topic']}\t{line['to']}\t{line['request'] or '-'}\t"
                f"{line['attempts']} attempts\t{line['created_at']}\t{line['error']}\t{line['text']}"
            )
    if not json_out:
        typer.echo(f"{len(rows)} dead message{'s' if len(rows) != 1 else ''}", err=True)


@outbox_cli.command("retry")
def outbox_retry(row_id: Annotated[int, typer.Argument(help="The id `frontdoor outbox list` shows.")]) -> None:
    """Queue a dead message again for a fresh round of attempts (a running Front Door sends it)."""
    from datetime import UTC, datetime

    from bot.store import dead

    with _outbox_db().core_transaction() as connection:
        done = dead.retry(connection, row_id, datetime.now(UTC))
    if not done:
        fail(f"no dead message {row_id} (see `frontdoor outbox list`)", code=1)
    typer.echo(f"message {row_id} queued again")


@outbox_cli.command("discard")
def outbox_discard(row_id: Annotated[int, typer.Argument(help="The id `frontdoor outbox list` shows.")]) -> None:
    """Give a dead message up for good (it stays in the table, marked discarded)."""
    from bot.store import dead

    with _outbox_db().core_transaction() as connection:
        done = dead.discard(connection, row_id)
    if not done:
        fail(f"no dead message {row_id} (see `frontdoor outbox list`)", code=1)
    typer.echo(f"message {row_id} discarded")


@cli.command()
def manifest(
    which: Annotated[str, typer.Argument(help="slack or teams")],
    out: Annotated[Path | None, typer.Option(help="Where to write it.")] = None,
) -> None:
    """Write the Slack app manifest or the Teams app package."""
    from manifest import write_manifest

    if which not in ("slack", "teams"):
        fail("manifest is slack or teams")
    typer.echo(write_manifest(which, settings_or_exit(), out))


# -- process intelligence (bot/insight, docs/insight.md) ---------------------------------------
demo_cli = typer.Typer(no_args_is_help=True, help="Demo data.")
cli.add_typer(demo_cli, name="demo")
REPORTS = ("queue", "latency", "sla", "at-risk", "denials", "handoff", "bottlenecks")


def _instant(value: str | None, option: str) -> Any:
    from datetime import UTC, datetime

    if value is None:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be an ISO date or time, e.g. 2026-01-15T10:00:00")
        raise
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


@cli.command()
def report(
    view: Annotated[str, typer.Argument(help="queue, latency, sla, at-risk, denials, handoff or bottlenecks")],
    since: Annotated[str | None, typer.Option(help="First day of the period (default: 12 weeks ago).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day of the period (default: today).")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="One request type.")] = None,
    entity: Annotated[str | None, typer.Option(help="One legal entity.")] = None,
    department: Annotated[str | None, typer.Option(help="One department (cost center).")] = None,
    role: Annotated[str | None, typer.Option(help="One approval role.")] = None,
    format_: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    now: Annotated[str | None, typer.Option(help="Report as if at this ISO time.")] = None,
) -> None:
    """Print one view of the insight page (the same figures as /insight)."""
    from bot.insight.commands import FORMATS
    from bot.insight.commands import report as run_report
    from bot.insight.service import BadFilter, parse_filters

    if view not in REPORTS:
        fail(f"report is one of {', '.join(REPORTS)}")
    if format_ not in FORMATS:
        fail("--format is table, csv or json")
    params = {"since": since, "until": until, "type": type_, "entity": entity, "department": department}
    try:
        filters = parse_filters({k: v for k, v in {**params, "role": role}.items() if v})
    except BadFilter as exc:
        fail(f"--{exc}")
        return
    typer.echo(run_report(settings_or_exit(), view, filters, format_, _instant(now, "--now")), nl=False)


@demo_cli.command("seed")
def demo_seed(
    requests: Annotated[int, typer.Option(min=1, help="How many requests to write.")] = 2000,
    seed: Annotated[int, typer.Option(help="The random seed: the same seed writes the same history.")] = 7,
    weeks: Annotated[int, typer.Option(min=1, help="Over how many weeks before now.")] = 26,
    now: Annotated[str | None, typer.Option(help="End the history at this ISO time (default: now).")] = None,
) -> None:
    """Write a realistic history of requests, approvals, reminders and backend statuses."""
    from bot.insight.commands import demo_seed as run_seed

    written = run_seed(settings_or_exit(), requests, seed, weeks, _instant(now, "--now"))
    typer.echo(", ".join(f"{n} {name}" for name, n in written.items()) + " written")


def main() -> None:
    """Run the CLI; a configuration problem found while starting exits 2 with one line."""
    from bot.directory import DirectoryError
    from forms import CatalogError
    from intents.llm import LLMConfigError

    try:
        cli()
    except (SettingsError, CatalogError, DirectoryError, LLMConfigError) as exc:
        typer.echo(f"frontdoor: {exc}", err=True)
        sys.exit(2)
