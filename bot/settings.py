"""Settings read from the environment or a `.env` file."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LOCALES = ("zh-CN", "en")


class SettingsError(Exception):
    """A setting has a bad value; the message names it in one line."""


class Settings(BaseSettings):
    """Everything the bot can be configured with."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    bot_api_base_url: str = "https://api.telegram.org/bot"
    bot_api_file_url: str = "https://api.telegram.org/file/bot"
    database_path: Path = Path("data/bot.sqlite3")
    # postgresql://user:password@host:port/dbname selects PostgreSQL (asyncpg) instead of
    # SQLite at database_path; secret, since it may hold a password.
    database_url: SecretStr | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_locale: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    retention_days: int = Field(default=180, ge=1, le=3650)
    log_level: str = "INFO"
    quiet_hours: Annotated[tuple[time, time] | None, NoDecode] = (time(22), time(8))
    followup_delay_scale: float = Field(default=1.0, gt=0, le=1000)
    broadcast_rate: float = Field(default=25.0, gt=0, le=1000)
    broadcast_connections: int = Field(default=8, ge=1, le=256)
    alert_max_per_hour: int = Field(default=5, ge=1, le=1000)
    # Webhook mode (python -m bot webhook): Telegram posts updates to WEBHOOK_URL, which a proxy
    # or load balancer forwards to WEBHOOK_LISTEN:WEBHOOK_PORT; the secret is checked on each.
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    webhook_max_connections: int = Field(default=40, ge=1, le=100)
    # Several processes on one database (bot/store/coord.py): a stable name per instance lets a
    # restarted instance take over its own unfinished claims at once; the heartbeat renews the
    # instance's lease, and an instance silent for INSTANCE_LEASE_S counts as gone.
    instance_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    instance_heartbeat_s: float = Field(default=1.0, gt=0, le=60)
    instance_lease_s: float = Field(default=10.0, gt=0, le=600)

    @field_validator("bot_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: object) -> object:
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not value.startswith(("postgresql://", "postgres://")):
                raise ValueError("must start with postgresql:// (unset it to use SQLite)")
        return value

    def database_dsn(self) -> str | None:
        """Return the PostgreSQL URL, or None for SQLite at database_path."""
        return self.database_url.get_secret_value() if self.database_url else None

    def database_label(self) -> str:
        """Name the store for people (the SQLite path, or the URL without its password)."""
        url = self.database_dsn()
        if url is None:
            return str(self.database_path)
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{netloc}"))

    @field_validator("bot_api_base_url", "bot_api_file_url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram's rule for secret_token: 1-256 characters A-Z, a-z, 0-9, _ and -.
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}",
                                                  value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("must be an https:// address Telegram can reach")
        return value

    @field_validator("instance_id", mode="before")
    @classmethod
    def _empty_instance_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("instance_lease_s")
    @classmethod
    def _lease(cls, value: float, info: ValidationInfo) -> float:
        beat = info.data.get("instance_heartbeat_s")
        if isinstance(beat, float) and value < 3 * beat:
            raise ValueError("must be at least three times INSTANCE_HEARTBEAT_S")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError("must be Telegram user ids separated by commas") from None
        return value

    @field_validator("default_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.strip().upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not a known IANA time zone (e.g. Asia/Shanghai)") from None
        return value

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _quiet(cls, value: object) -> object:
        if value is None:
            return None
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            try:
                start, end = (int(x) for x in text.split("-"))
            except ValueError:
                raise ValueError("must look like 22-8 (hours), or be empty") from None
            if not (0 <= start <= 23 and 0 <= end <= 23) or start == end:
                raise ValueError("hours must be 0-23 and differ, like 22-8") from None
            return (time(start), time(end))
        return value

    @property
    def tz(self) -> ZoneInfo:
        """Return the configured time zone."""
        return ZoneInfo(self.timezone)

    @property
    def api_base_url(self) -> str:
        """Return the Bot API base URL in PTB's form (ending in /bot)."""
        url = self.bot_api_base_url.rstrip("/")
        return url if url.endswith("/bot") else url + "/bot"

    @property
    def api_file_url(self) -> str:
        """Return the Bot API file URL in PTB's form (ending in /file/bot)."""
        url = self.bot_api_file_url.rstrip("/")
        return url if url.endswith("/bot") else url + "/file/bot"


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a validation error into one line that names the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        msg = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"setting {name}: {msg}") from None
