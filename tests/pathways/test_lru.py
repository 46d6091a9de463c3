"""The least-recently-used map behind the service's caches."""

from __future__ import annotations

from pathways.lru import LRU


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2


def test_setdefault_keeps_the_first_value_stored() -> None:
    cache: LRU[str, list[int]] = LRU(4)
    first = cache.setdefault("k", [1])
    assert cache.setdefault("k", [2]) is first


def test_discard_and_clear_forget() -> None:
    cache: LRU[tuple[str, str], int] = LRU(8)
    for learner, revision in [("ann", "r1"), ("ann", "r2"), ("bo", "r1")]:
        cache.put((learner, revision), 0)
    cache.discard(lambda key: key[0] == "ann")
    assert cache.get(("ann", "r1")) is None and cache.get(("bo", "r1")) == 0
    cache.clear()
    assert len(cache) == 0
