"""Verified Open Badges (2.0, 3.0) and CLR 2.0 evidence, checked offline.

>>> from interop.badges import verify_file
>>> verdict = verify_file("badge.png", issuers=["https://example.edu/issuers/565049"])
>>> verdict.trusted, verdict.status, verdict.rules_broken

See docs/badges.md for the checks, their order, and the offline (fail-closed) policy.
"""

from __future__ import annotations

from interop.badges.bundle import Bundle
from interop.badges.errors import BadgeError
from interop.badges.verdict import AchievedResult, Alignment, Check, Verdict
from interop.badges.verify import verify_bytes, verify_file

__all__ = [
    "AchievedResult",
    "Alignment",
    "BadgeError",
    "Bundle",
    "Check",
    "Verdict",
    "verify_bytes",
    "verify_file",
]
