"""The engine version recorded in every decision."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    ENGINE_VERSION = version("stackwise")
except PackageNotFoundError:  # running from a source tree without installing
    ENGINE_VERSION = "0.1.0"
