"""Where the store lives: pydantic-settings read from ``STACKWISE_*`` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pathways.errors import UsageError

S = TypeVar("S", bound=BaseSettings)


class StoreSettings(BaseSettings):
    """Database location.

    ``STACKWISE_DATABASE_URL`` (e.g. ``postgresql://user@host/db``) wins; otherwise an
    embedded SQLite file ``stackwise.db`` in ``STACKWISE_DATA_DIR`` (default: the current
    directory).
    """

    model_config = SettingsConfigDict(env_prefix="STACKWISE_", extra="ignore")

    database_url: str | None = None
    data_dir: Path = Path(".")
    #: SQLite's ``PRAGMA synchronous`` for the embedded store (WAL mode).
    #: ``FULL`` (the default) syncs the write-ahead log at every commit: a decision answered
    #: 201 survives a power cut. ``NORMAL`` syncs only at checkpoints: every commit is still
    #: atomic and survives a crash of the process (the log is never torn, a decision is
    #: logged whole or not at all), but the last commits before a power cut or kernel panic
    #: may be lost although they were answered. PostgreSQL ignores it.
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"

    @field_validator("sqlite_synchronous", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        # The environment may say "normal"; SQLite's own spelling is upper case.
        return value.upper() if isinstance(value, str) else value

    @property
    def embedded(self) -> bool:
        """True when the store is the embedded SQLite default (no URL given)."""
        return not self.database_url

    @property
    def url(self) -> str:
        """SQLAlchemy URL, with the psycopg 3 driver for PostgreSQL."""
        if not self.database_url:
            return f"sqlite:///{(self.data_dir / 'stackwise.db').resolve()}"
        url = self.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url.removeprefix(prefix)
        return url


def from_environment(kind: type[S]) -> S:
    """``kind`` read from the environment; a bad value is a :class:`UsageError` naming the
    variable and the value (the CLI exits 2 with it), not a pydantic traceback."""
    try:
        return kind()
    except ValidationError as exc:
        prefix = str(kind.model_config.get("env_prefix", ""))
        problems = []
        for e in exc.errors():
            name = f"{prefix}{'_'.join(str(part) for part in e['loc'])}".upper()
            # the value as the user wrote it (a "before" validator may have changed it)
            value = os.environ.get(name, e["input"])
            problems.append(f"{name} = {value!r}: {e['msg']}")
        raise UsageError("; ".join(problems), location="environment") from None
