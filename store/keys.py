"""API keys: random secrets handed out once, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from sqlmodel import Session, col, func, select

from pathways.errors import UsageError
from store.db import begin_write
from store.errors import NotFoundError
from store.tables import ApiKey, utcnow

Role = Literal["designer", "learner", "auditor", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
PREFIX = "sw"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id, its role and (for a learner key) the learner it is bound to."""

    key_id: str
    role: str
    learner_id: str | None = None


def _digest(secret: str) -> str:
    # A key carries 256 random bits, so a plain hash is enough (no slow KDF needed).
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(
    session: Session, role: str, learner_id: str | None = None, label: str | None = None
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the clear token, which is never stored."""
    if role not in ROLES:
        raise UsageError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if role == "learner" and not learner_id:
        raise UsageError("a learner key needs the learner id it is bound to (--learner ID)")
    if role != "learner" and learner_id:
        raise UsageError(f"only a learner key is bound to a learner, not a {role} key")
    begin_write(session)
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    row = ApiKey(
        id=key_id, secret_hash=_digest(secret), role=role, learner_id=learner_id, label=label
    )
    session.add(row)
    session.commit()
    return row, f"{PREFIX}_{key_id}_{secret}"


def authenticate(session: Session, token: str) -> Principal | None:
    """The principal of a clear token, or None when it is unknown, malformed or revoked."""
    prefix, _, rest = token.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not key_id or not secret:
        return None
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_hash, _digest(secret)):
        return None
    return Principal(key_id=row.id, role=row.role, learner_id=row.learner_id)


class PrincipalCache:
    """Recently authenticated keys, so that a busy client is not looked up on every request.

    An entry is trusted for ``max_age`` seconds (the caller's setting). Revoking a key or
    erasing its learner in this process forgets it at once (see :func:`revoke_key`); in
    another process of the same service a revoked key keeps working for at most ``max_age``
    seconds more. Entries are keyed by a hash of the token, never the clear secret, and only
    valid keys are kept (random guesses cannot fill the cache).
    """

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._lock = threading.Lock()
        #: Bumped by every :meth:`forget`, so that a lookup that read a key before it was
        #: revoked cannot put it back afterwards.
        self.generation = 0

    def get(self, token: str, max_age: float) -> Principal | None:
        """The principal of ``token`` if it was authenticated less than ``max_age`` s ago."""
        if max_age <= 0:
            return None
        digest = _digest(token)
        with self._lock:
            entry = self._entries.get(digest)
            if entry is None:
                return None
            principal, since = entry
            if time.monotonic() - since >= max_age:
                del self._entries[digest]
                return None
            return principal

    def put(self, token: str, principal: Principal, generation: int) -> None:
        """Remember that ``token`` authenticated as ``principal`` in a lookup that began at
        ``generation`` (ignored when keys were forgotten since)."""
        digest = _digest(token)
        with self._lock:
            if generation != self.generation:
                return
            self._entries[digest] = (principal, time.monotonic())
            self._entries.move_to_end(digest)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def forget(self, key_ids: Iterable[str]) -> None:
        """Drop the entries of these key ids."""
        gone = set(key_ids)
        with self._lock:
            self.generation += 1
            for digest in [d for d, (p, _) in self._entries.items() if p.key_id in gone]:
                del self._entries[digest]


#: The process's cache of authenticated keys (used by the HTTP service).
principals = PrincipalCache()


def forget_keys(key_ids: Iterable[str]) -> None:
    """Stop trusting cached authentications of these keys (revoked or deleted)."""
    principals.forget(key_ids)


def authenticate_cached(session: Session, token: str, max_age: float) -> Principal | None:
    """:func:`authenticate`, answered from :data:`principals` when it is fresh enough."""
    principal = principals.get(token, max_age)
    if principal is not None:
        return principal
    generation = principals.generation
    principal = authenticate(session, token)
    if principal is not None and max_age > 0:
        principals.put(token, principal, generation)
    return principal


def get_key(session: Session, key_id: str) -> ApiKey:
    """A key by id (404 when unknown)."""
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFoundError(f"no API key {key_id!r}")
    return row


def list_keys(session: Session, limit: int, offset: int) -> tuple[list[ApiKey], int]:
    """One page of keys, oldest first, and the total."""
    total = session.exec(select(func.count()).select_from(ApiKey)).one()
    rows = session.exec(
        select(ApiKey).order_by(col(ApiKey.created_at), col(ApiKey.id)).offset(offset).limit(limit)
    ).all()
    return list(rows), int(total)


def revoke_key(session: Session, key_id: str) -> ApiKey:
    """Revoke a key (kept for the audit trail; it no longer authenticates)."""
    begin_write(session)
    row = get_key(session, key_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.commit()
    forget_keys([key_id])
    return row
