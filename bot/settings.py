"""Settings from the environment or `.env` (pydantic-settings); one object, read once at start."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError as PydanticSettingsError

from bot.insight.schedule import parse_schedule
from reminders.holidays import Holidays
from reminders.sla import parse_span

DEFAULT_DB = "sqlite:///./var/frontdoor.db"
DEMO_CALLBACK_SECRET = "frontdoor-embedded-callback-secret"
"""The documented secret of the embedded backend's callbacks: fine on loopback, never beyond."""


class SettingsError(ValueError):
    """A bad setting; the message is one line naming it and what to change."""


class Settings(BaseSettings):
    """Every setting of Front Door. Names are the environment variables without the prefix."""

    model_config = SettingsConfigDict(env_prefix="FRONTDOOR_", env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = DEFAULT_DB
    backend_url: str | None = None
    backend_token: SecretStr | None = None
    backend_callback_secret: SecretStr = SecretStr(DEMO_CALLBACK_SECRET)
    backend_callback_legacy: bool = False
    """Accept callbacks signed the older way (X-Frontdoor-Signature over the body, no timestamp)."""
    backend_timeout: float = Field(5.0, gt=0)
    llm: str = "none"
    llm_timeout: float = Field(10.0, gt=0)
    llm_fill_threshold: float = Field(0.8, ge=0, le=1)
    llm_confirm_threshold: float = Field(0.5, ge=0, le=1)
    debug_log_text: bool = False
    catalog: Path | None = None
    directory: Path | None = None
    http_host: str = "127.0.0.1"
    http_port: int = Field(3000, ge=0, le=65535)
    timezone: str = "America/New_York"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] | None = None
    """Unset: INFO, and in a terminal the logs go to a file so the chat stays readable."""
    log_format: Literal["text", "json"] = "text"
    """json: one JSON object a line, with the correlation id of the event being handled."""
    log_file: Path | None = None
    """Where logs go; unset: standard error, or var/frontdoor.log when run in a terminal."""
    sweep_interval_seconds: int = Field(60, ge=1)
    nudge_urgent_minutes: float = Field(5.0, gt=0)
    """How long an emergency or urgent form left unfinished waits for its one nudge."""
    nudge_business_hours: float = Field(1.0, gt=0)
    """How many business hours any other form left unfinished waits for its one nudge."""
    business_hours: str = "08:00-17:00"
    holidays: Path | None = None
    """A holiday file (one ISO date a line) that replaces the public holidays of the country below."""
    holiday_country: str = "US"
    """Whose public holidays the SLA clock skips: an ISO 3166 code (US, CA, GB…), any year."""
    holiday_subdivision: str | None = None
    """A state or province whose own holidays are added (NY, ON…); unset: the country's only."""
    quiet_hours: str = "19:00-07:00"
    escalation_fallback: str | None = None
    language: Literal["en", "es"] = "en"
    """What rooms are spoken to in, and people before they write (FRONTDOOR_LANGUAGE): en or es.
    A person is answered in the language they write in, remembered for what is sent them later."""
    outbox_poll_seconds: float = Field(1.0, gt=0)
    replica_id: str | None = None
    """This replica's name on the leases it takes (outbox rows, kept inbound events), stable across
    its restarts and unique among replicas: restarted, it takes its own rows back at once. Unset:
    the host name and HTTP port. See `replica`."""
    clinical_resource: str = ""
    """Where a clinical question is pointed; unset, the catalogue's words (in the person's language)."""
    """Where a clinical question is pointed, e.g. "the Lexicomp link on the intranet"."""
    help_contact: str = ""
    """Whom people ask for help with Front Door itself (added to the directory, a person to talk
    to), e.g. "the IT Service Desk, ext. 4357"; unset: "your administrator"."""
    chat_retention_days: float = Field(7.0, gt=0)
    """How long the text of a delivered chat message stays in the outbox table (the audit trail stays)."""
    max_message_chars: int = Field(6000, ge=500, le=40000)
    """A longer chat message is answered with what to shorten, and not read."""
    default_channel: str | None = None
    """Where messages go that have no better place; unset: the one chat platform configured (Slack
    or Teams), else the local chat. See `chat_default`."""
    slack_api_url: str | None = None
    slack_channels: dict[str, str] = Field(default_factory=dict)
    teams_channels: dict[str, str | dict[str, str]] = Field(default_factory=dict)
    teams_emulator: bool = False
    public_url: str | None = None
    oidc_issuer: str | None = None
    """OpenID Connect issuer for /insight sign-in (discovery at <issuer>/.well-known/openid-configuration)."""
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    insight_weekly: str | None = None
    """When each approval role's room gets its weekly summary (bot/insight/weekly.py): a day and a
    time in the organisation's zone, e.g. "mon 08:00"; unset or "off": never."""

    slack_bot_token: SecretStr | None = Field(None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, validation_alias="SLACK_APP_TOKEN")
    microsoft_app_id: str | None = Field(None, validation_alias="MICROSOFT_APP_ID")
    microsoft_app_password: SecretStr | None = Field(None, validation_alias="MICROSOFT_APP_PASSWORD")
    microsoft_app_tenant_id: str | None = Field(None, validation_alias="MICROSOFT_APP_TENANT_ID")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as America/New_York)") from None
        return value

    @field_validator("business_hours", "quiet_hours")
    @classmethod
    def _span(cls, value: str) -> str:
        if value.strip().lower() not in ("off", "none"):
            start, end = parse_span(value)
            if start == end:
                raise ValueError("a span needs a different start and end")
        return value

    @field_validator("insight_weekly")
    @classmethod
    def _weekly(cls, value: str | None) -> str | None:
        parse_schedule(value)
        return value

    @field_validator("holiday_country")
    @classmethod
    def _country(cls, value: str) -> str:
        return value.strip().upper()

    @field_validator("holiday_subdivision")
    @classmethod
    def _subdivision(cls, value: str | None) -> str | None:
        return (value or "").strip() or None

    @field_validator("llm")
    @classmethod
    def _llm(cls, value: str) -> str:
        if value != "none" and ":" not in value:
            raise ValueError("use none or provider:model, e.g. openai:gpt-4.1-mini")
        return value

    @field_validator("database_url")
    @classmethod
    def _db(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("use a sqlite:/// or postgresql+psycopg:// URL")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token))

    @property
    def teams_enabled(self) -> bool:
        return bool(self.microsoft_app_id) or self.teams_emulator

    @property
    def chat_default(self) -> str:
        """FRONTDOOR_DEFAULT_CHANNEL, or the one chat platform configured, or the local chat."""
        if self.default_channel:
            return self.default_channel
        platforms = [name for name, on in (("slack", self.slack_enabled), ("teams", self.teams_enabled)) if on]
        return platforms[0] if len(platforms) == 1 else "local"

    @property
    def holiday_source(self) -> Holidays:
        """FRONTDOOR_HOLIDAYS, else the public holidays of the country and subdivision."""
        return Holidays(self.holidays, self.holiday_country, self.holiday_subdivision)

    @property
    def replica(self) -> str:
        """FRONTDOOR_REPLICA_ID, or this host's name and HTTP port."""
        return self.replica_id or f"{socket.gethostname()}:{self.http_port}"


def reveal(secret: SecretStr | None) -> str | None:
    """A secret's value, for the one call that needs it (settings print as '**********')."""
    return None if secret is None else secret.get_secret_value()


def loopback(host: str) -> bool:
    """Whether `host` is only reachable from this machine."""
    if host == "localhost":
        return True
    try:
        import ipaddress

        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_exposure(settings: Settings) -> None:
    """Refuse to serve where a forged callback could reach us: a real backend with the demo secret
    or without a token, or the demo secret on an address beyond loopback."""
    demo = settings.backend_callback_secret.get_secret_value() == DEMO_CALLBACK_SECRET
    if settings.backend_url is not None and demo:
        raise SettingsError(
            "FRONTDOOR_BACKEND_CALLBACK_SECRET is the documented demo value: set the secret your backend "
            "signs its status callbacks with"
        )
    if settings.backend_url is not None and not settings.backend_token:
        raise SettingsError("FRONTDOOR_BACKEND_TOKEN is not set: give the bearer token of FRONTDOOR_BACKEND_URL")
    if demo and not loopback(settings.http_host):
        raise SettingsError(
            f"FRONTDOOR_HTTP_HOST={settings.http_host!r} serves beyond this machine, but "
            "FRONTDOOR_BACKEND_CALLBACK_SECRET is the documented demo value: set a secret of your own"
        )


_ENV_NAMES = {
    name: (str(f.validation_alias) if isinstance(f.validation_alias, str) else f"FRONTDOOR_{name.upper()}")
    for name, f in Settings.model_fields.items()
}


def load_settings(**overrides: object) -> Settings:
    """Read the settings; a bad one raises SettingsError naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]  # overrides are field values
    except PydanticSettingsError as exc:  # a value that is not the JSON its field needs
        match = re.search(r'field "(\w+)"', str(exc))
        env = _ENV_NAMES.get(match.group(1), match.group(1)) if match else "a setting"
        raise SettingsError(f'{env} is not valid: give it as JSON, e.g. {{"#approvals-finance": "…"}}') from None
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "?"
        env = _ENV_NAMES.get(name, name)
        value = first.get("input")
        raise SettingsError(f"{env}={value!r} is not valid: {first['msg']}") from None
