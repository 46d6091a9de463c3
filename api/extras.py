"""Features written by other teams, used when their modules are present.

Maps (``visualizations.maps``) and recommendations (``pathways.recommend``) are optional at
import time so that the service runs, and says what is missing, while they are being built.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from pathways.errors import StackwiseError


class NotAvailableError(StackwiseError):
    """A feature whose module is not installed in this build."""

    http_status = 501
    title = "Not implemented"


def module(name: str, feature: str) -> ModuleType:
    """Import ``name`` or raise :class:`NotAvailableError` naming ``feature``."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and name.startswith(exc.name):
            raise NotAvailableError(f"{feature} are not available in this build ({name})") from None
        raise


def available(name: str) -> bool:
    """Whether the optional module ``name`` can be imported."""
    try:
        module(name, name)
    except NotAvailableError:
        return False
    return True
