"""Keep Python's full garbage collections off the service's latency tail.

A full (generation 2) collection walks every object the cyclic collector tracks. A worker
holds ~170,000 of them before it answers anything (FastAPI, pydantic, SQLAlchemy, numpy,
HiGHS and networkx, the app and its routes), and on the bench VM one full walk took
150-200 ms. Under load a worker ran one every ~10 s, so about one answer in a hundred
waited that long: the service's p99 was the collector's pause (bench/bench_api.py,
docs/performance.md).

Those objects live as long as the process, so there is nothing for the collector to find
among them. :func:`settle` moves them out of its reach (``gc.freeze``) once the app has
started, and a full collection then walks only what requests left behind. They are handed
back (``gc.unfreeze``) when the app shuts down, so that a process that starts and stops
many apps (the test suite) does not keep their garbage forever.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Exempt every object alive now from later collections (see the module)."""
    gc.freeze()


def release() -> None:
    """Make the exempted objects collectable again (the app is shutting down)."""
    gc.unfreeze()
