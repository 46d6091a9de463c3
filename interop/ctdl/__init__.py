"""CTDL (Credential Transparency Description Language) pathways in and out, and Badgr.

>>> from interop.ctdl import import_ctdl, export_ctdl
>>> catalog, report = import_ctdl(text, source="pathway.json")
>>> document = export_ctdl(catalog)

See docs/ctdl.md for the mapping tables and what each import reports.
"""

from __future__ import annotations

from interop.ctdl.badgr import import_badgr
from interop.ctdl.errors import CtdlError
from interop.ctdl.exporter import export_ctdl
from interop.ctdl.importer import import_ctdl
from interop.ctdl.report import ImportReport

__all__ = ["CtdlError", "ImportReport", "export_ctdl", "import_badgr", "import_ctdl"]
