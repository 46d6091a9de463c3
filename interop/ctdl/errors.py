"""Errors of the CTDL / Badgr importers and exporters."""

from __future__ import annotations

from pathways.errors import StackwiseError


class CtdlError(StackwiseError):
    """A CTDL or Badgr document cannot be imported (or a catalog cannot be exported).

    The message names the file and, where it helps, the line and column or the node id.
    """

    title = "Invalid CTDL document"
