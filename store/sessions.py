"""Web sign-in sessions: the cookie holds a random token; the store keeps only its hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete
from sqlmodel import Session, col

from store.db import begin_write
from store.keys import Principal
from store.tables import ApiKey, WebSession, utcnow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, key_id: str, hours: int) -> str:
    """Start a web session for an authenticated key; returns the cookie token."""
    begin_write(session)
    token = secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(hours=hours)
    session.add(WebSession(token_hash=_digest(token), key_id=key_id, expires_at=expires))
    session.commit()
    return token


def principal_for(session: Session, token: str) -> Principal | None:
    """The principal of a live session whose key is not revoked, else None."""
    row = session.get(WebSession, _digest(token))
    if row is None or row.expires_at <= utcnow():
        return None
    key = session.get(ApiKey, row.key_id)
    if key is None or key.revoked_at is not None:
        return None
    return Principal(key_id=key.id, role=key.role, learner_id=key.learner_id)


def close_session(session: Session, token: str) -> None:
    """End a web session (sign out); expired sessions are swept at the same time."""
    begin_write(session)
    mine = col(WebSession.token_hash) == _digest(token)
    session.exec(delete(WebSession).where(mine | (col(WebSession.expires_at) <= utcnow())))
    session.commit()
