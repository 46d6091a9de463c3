"""A small thread-safe least-recently-used map, for the caches of a long-running service.

Every cache in Stackwise holds answers that depend only on their key (a content hash, a
revision token): a value is never stale, only forgotten when the cache is full.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """At most ``size`` entries; reading or storing one makes it the most recent."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value under ``key``, or ``None``."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> V:
        """Store ``value`` (replacing what was there) and return it."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            self._trim()
            return value

    def setdefault(self, key: K, value: V) -> V:
        """The value already under ``key`` if another thread stored one first, else ``value``."""
        with self._lock:
            found = self._entries.setdefault(key, value)
            self._entries.move_to_end(key)
            self._trim()
            return found

    def discard(self, where: Callable[[K], bool]) -> None:
        """Forget every entry whose key ``where`` accepts."""
        with self._lock:
            for key in [k for k in self._entries if where(k)]:
                del self._entries[key]

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def _trim(self) -> None:
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
