"""Where the badge bundle (urlmap.json, contexts/, schemas/) lives.

The bundle is configuration, not code: the library never hard-codes its location. Order:
an explicit ``bundle_dir``, then the ``STACKWISE_BADGE_BUNDLE`` environment variable, then
``../shared/interop/openbadges`` relative to the current directory when that folder exists.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from interop.badges.errors import BadgeError

#: Fallback location, relative to the current directory (the repository root in development).
DEFAULT_RELATIVE_BUNDLE = Path("..") / "shared" / "interop" / "openbadges"


class BadgeSettings(BaseSettings):
    """Settings of the badge verifier, read from ``STACKWISE_BADGE_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="STACKWISE_BADGE_", extra="ignore")

    bundle: Path | None = None


def resolve_bundle_dir(bundle_dir: Path | str | None = None) -> Path:
    """Return the bundle folder to use, or raise :class:`BadgeError` saying how to set one."""
    if bundle_dir is not None:
        chosen = Path(bundle_dir)
    else:
        configured = BadgeSettings().bundle
        chosen = configured if configured is not None else DEFAULT_RELATIVE_BUNDLE
    if not (chosen / "urlmap.json").is_file():
        raise BadgeError(
            f"no badge bundle at {chosen} (a folder with urlmap.json, contexts/ and schemas/): "
            "set STACKWISE_BADGE_BUNDLE or pass bundle_dir"
        )
    return chosen.resolve()
