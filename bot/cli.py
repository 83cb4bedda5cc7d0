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
    """Check a catalog (the shipped one by default), and its approval roles against a directory:
    a role nobody holds is an error; a role whose one holder has no backup is a warning (that
    person's own requests go to the role's manager, or wait for nobody)."""
    from bot.directory import MANAGER, DirectoryError, load_directory
    from forms import CatalogError, load_catalog

    try:
        catalog = load_catalog(path)
        people = load_directory(directory)
    except (CatalogError, DirectoryError) as exc:
        fail(str(exc), code=1)
        return
    used = sorted({s.role for t in catalog.types.values() for s in t.approvals if s.role != MANAGER})
    unknown = [role for role in used if not people.holders(role, None)]
    if unknown:
        fail(f"{catalog.source}: approvals name roles nobody holds in the directory: {', '.join(unknown)}", code=1)
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
