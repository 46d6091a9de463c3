"""The inputs every check shares (bundle, clock, allow-list, learner identity)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from interop.badges.bundle import Bundle

#: Credentials nest (CLR members, endorsements of endorsements): a bound against abuse.
MAX_DEPTH = 4


@dataclass(frozen=True)
class Options:
    """What a verification runs against."""

    bundle: Bundle
    now: datetime
    issuers: list[str] | None = None
    recipient: str | None = None
    depth: int = 0

    def inner(self, *, same_learner: bool) -> Options:
        """Options for a nested credential: a CLR member keeps the learner and allow-list;
        an endorsement (a third party's statement) is checked for integrity only."""
        if same_learner:
            return replace(self, depth=self.depth + 1)
        return replace(self, depth=self.depth + 1, issuers=None, recipient=None)
