"""Where the store lives: pydantic-settings read from ``STACKWISE_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class StoreSettings(BaseSettings):
    """Database location.

    ``STACKWISE_DATABASE_URL`` (e.g. ``postgresql://user@host/db``) wins; otherwise an
    embedded SQLite file ``stackwise.db`` in ``STACKWISE_DATA_DIR`` (default: the current
    directory).
    """

    model_config = SettingsConfigDict(env_prefix="STACKWISE_", extra="ignore")

    database_url: str | None = None
    data_dir: Path = Path(".")

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
