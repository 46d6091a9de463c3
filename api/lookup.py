"""Finding the catalog and record a read route is about."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from pathways.catalog import Catalog
from pathways.errors import UsageError
from store import catalogs
from store.errors import NotFoundError


def catalog_for(session: Session, catalog_id: str | None, version: str | None = None) -> Catalog:
    """The named catalog (latest version by default), or the latest published of any id."""
    if catalog_id is None:
        if version is not None:
            raise UsageError("`version` needs `catalog`", location="query")
        row = catalogs.latest(session)
        if row is None:
            raise NotFoundError("no catalog is published yet")
        return catalogs.loaded(row)
    return catalogs.load(session, catalog_id, version)


def day(as_of: dt.date | None) -> dt.date:
    """The decision date: ``as_of`` or today."""
    return as_of or dt.date.today()
