"""Errors of the badge verifier.

A credential that is read but not trusted is a verdict, not an error: these are only for
input that is not a badge at all (garbage, truncated image) or for a missing configuration.
"""

from __future__ import annotations

from pathways.errors import StackwiseError


class BadgeError(StackwiseError):
    """The input is not a readable badge, or the verifier is not configured."""

    title = "Unreadable badge"


class OfflineUnavailable(Exception):
    """A document the check needs is not served by the local bundle (no network, by policy)."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(f"{url} is not available offline (not in urlmap.json)")
