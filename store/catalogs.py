"""Published catalogs: immutable versions, the latest of each id, and a loaded-catalog cache."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from pathways.catalog import Catalog, canonical_json
from pathways.loader import load_catalog_data
from pathways.lru import LRU
from store.db import begin_write
from store.errors import ConflictError, NotFoundError
from store.tables import CatalogVersion

#: Loaded catalogs by content hash.
_cache: LRU[str, Catalog] = LRU(32)


@dataclass(frozen=True)
class Published:
    """The outcome of publishing: the catalog's identity and whether it is new."""

    id: str
    version: str
    hash: str
    created: bool


def publish(session: Session, catalog: Catalog, by: str) -> Published:
    """Store ``catalog`` as an immutable version.

    Identical content again is accepted (``created`` is False); the same id and version
    with other content raises :class:`ConflictError`.
    """
    begin_write(session)
    existing = _find(session, catalog.id, catalog.version)
    if existing is None:
        row = CatalogVersion(
            catalog_id=catalog.id,
            version=catalog.version,
            hash=catalog.hash,
            content=canonical_json(catalog.raw),
            published_by=by,
        )
        try:
            session.add(row)
            session.commit()
            return Published(catalog.id, catalog.version, catalog.hash, created=True)
        except IntegrityError:
            # Someone published the same id and version between our read and our write.
            session.rollback()
            existing = _find(session, catalog.id, catalog.version)
            if existing is None:  # pragma: no cover - the constraint says it is there
                raise
    if existing.hash != catalog.hash:
        raise ConflictError(
            f"catalog {catalog.id!r} version {catalog.version!r} is already published with "
            f"other content ({existing.hash}); publish a new version instead"
        )
    return Published(existing.catalog_id, existing.version, existing.hash, created=False)


def _find(session: Session, catalog_id: str, version: str) -> CatalogVersion | None:
    return session.exec(
        select(CatalogVersion).where(
            CatalogVersion.catalog_id == catalog_id, CatalogVersion.version == version
        )
    ).first()


def get_version(session: Session, catalog_id: str, version: str | None = None) -> CatalogVersion:
    """A published version, or the latest published when ``version`` is None (404 if none)."""
    if version is not None:
        row = _find(session, catalog_id, version)
        if row is None:
            raise NotFoundError(f"catalog {catalog_id!r} has no published version {version!r}")
        return row
    row = session.exec(
        select(CatalogVersion)
        .where(CatalogVersion.catalog_id == catalog_id)
        .order_by(col(CatalogVersion.pk).desc())
    ).first()
    if row is None:
        raise NotFoundError(f"no published catalog {catalog_id!r}")
    return row


# Built once: building a statement costs several times what running it does.
_LATEST_HASH = (
    select(CatalogVersion.hash)
    .where(CatalogVersion.catalog_id == bindparam("catalog_id"))
    .order_by(col(CatalogVersion.pk).desc())
    .limit(1)
)
_VERSION_HASH = select(CatalogVersion.hash).where(
    CatalogVersion.catalog_id == bindparam("catalog_id"),
    CatalogVersion.version == bindparam("version"),
)


def load(session: Session, catalog_id: str, version: str | None = None) -> Catalog:
    """The loaded :class:`Catalog` of a published version (cached: versions never change).

    Which version is asked of the store every time (a newly published one counts at once),
    but only its hash is read: the content, the large part, only when this process has not
    loaded that version yet.
    """
    if version is None:
        found = session.connection().execute(_LATEST_HASH, {"catalog_id": catalog_id})
    else:
        params = {"catalog_id": catalog_id, "version": version}
        found = session.connection().execute(_VERSION_HASH, params)
    digest = found.scalar()
    if digest is not None:
        hit = _cache.get(digest)
        if hit is not None:
            return hit
    return loaded(get_version(session, catalog_id, version))


def loaded(row: CatalogVersion) -> Catalog:
    """Load a stored version, once per process."""
    hit = _cache.get(row.hash)
    if hit is not None:
        return hit
    catalog = load_catalog_data(json.loads(row.content), f"{row.catalog_id}@{row.version}")
    return _cache.put(row.hash, catalog)


def latest(session: Session) -> CatalogVersion | None:
    """The most recently published version of any catalog (None when the store is empty)."""
    return session.exec(select(CatalogVersion).order_by(col(CatalogVersion.pk).desc())).first()


def list_versions(
    session: Session, catalog_id: str | None, limit: int, offset: int
) -> tuple[list[CatalogVersion], int]:
    """One page of published versions (newest first), optionally of one catalog id."""
    query = select(CatalogVersion)
    count = select(func.count()).select_from(CatalogVersion)
    if catalog_id is not None:
        query = query.where(CatalogVersion.catalog_id == catalog_id)
        count = count.where(CatalogVersion.catalog_id == catalog_id)
    rows = session.exec(
        query.order_by(col(CatalogVersion.pk).desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), int(session.exec(count).one())
