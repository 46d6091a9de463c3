"""Benchmark the evaluator (prints figures; not a test).

    .venv/bin/python bench/bench_evaluate.py [--quick]

Typical program: ~30 requirements, a learner with ~60 items. Adversarial family: a dozen
overlapping N-of-M groups and credit pools over ~80 items (>= 1e9 naive assignments).
Batch: decisions per second across 2 processes, of the typical program (the target's
figure) and of the demo catalog's mix (every learner against every stacked credential, the
degree included, each on dates of its own). Then how time grows as sizes double. Beside
the times it prints how many HiGHS solves an evaluation takes, which the host's speed does
not change (these VMs' speed does, by up to 3x within minutes).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from machine import describe

from pathways.catalog import Catalog
from pathways.evaluate import evaluate
from pathways.loader import load_catalog, load_catalog_data
from pathways.record import LearnerRecord, parse_record
from rules.linear import LinearModel

AS_OF = dt.date(2026, 11, 28)
SUBJECTS = ["CS", "MATH", "ENG", "HIST", "BIO"]


def typical(requirements: int = 30, seed: int = 1) -> tuple[Catalog, LearnerRecord]:
    """A degree of named courses, N-of-M groups and credit pools; a learner with ~2x items."""
    rnd = random.Random(seed)
    courses = [
        {
            "id": f"c{i}",
            "credits": rnd.choice([3, 3, 4]),
            "subject": SUBJECTS[i % 5],
            "level": 100 * (1 + i % 4),
        }
        for i in range(requirements * 3)
    ]
    reqs: list[Any] = []
    for r in range(requirements):
        kind = r % 3
        if kind == 0:
            reqs.append(f"c{r}")
        elif kind == 1:
            pick = rnd.sample(range(len(courses)), 4)
            reqs.append({"id": f"g{r}", "at_least": 2, "of": [f"c{i}" for i in pick]})
        else:
            reqs.append(
                {
                    "id": f"p{r}",
                    "select": {"subject": SUBJECTS[r % 5], "level_min": 200},
                    "credits": 6,
                }
            )
    data = {
        "catalog": {"id": "bench", "version": "1"},
        "credentials": [
            *courses,
            {
                "id": "deg",
                "type": "degree",
                "requires": {"id": "root", "all": reqs, "min_gpa": 2.0},
            },
        ],
    }
    catalog = load_catalog_data(data)
    held = rnd.sample(range(len(courses)), min(len(courses), requirements * 2))
    record = parse_record(
        {
            "learner": "b",
            "earned": [
                {
                    "credential": f"c{i}",
                    "earned_on": f"20{20 + i % 6}-05-01",
                    "grade": rnd.choice(["A", "B", "C", "B+"]),
                }
                for i in held
            ],
        }
    )
    return catalog, record


def adversarial(seed: int = 2) -> tuple[Catalog, LearnerRecord]:
    """Twelve overlapping N-of-M groups and credit pools over 80 items."""
    rnd = random.Random(seed)
    courses = [
        {
            "id": f"a{i}",
            "credits": rnd.choice([2, 3, 4]),
            "subject": SUBJECTS[i % 5],
            "level": 100 * (1 + i % 4),
            "tags": [f"t{i % 7}", f"u{i % 3}"],
        }
        for i in range(80)
    ]
    groups: list[Any] = []
    for g in range(12):
        if g % 2:
            pick = rnd.sample(range(80), 12)
            groups.append({"id": f"n{g}", "at_least": 4, "of": [f"a{i}" for i in pick]})
        else:
            groups.append(
                {"id": f"q{g}", "select": {"tags": [f"t{g % 7}", f"u{g % 3}"]}, "credits": 9}
            )
    data = {
        "catalog": {"id": "adv", "version": "1"},
        "credentials": [*courses, {"id": "deg", "type": "degree", "requires": {"all": groups}}],
    }
    record = parse_record(
        {
            "learner": "b",
            "earned": [
                {"credential": f"a{i}", "earned_on": "2024-01-01", "grade": "B"} for i in range(80)
            ],
        }
    )
    return load_catalog_data(data), record


def named_choices(groups: int = 60, seed: int = 3) -> tuple[Catalog, LearnerRecord]:
    """A program of "one of three named courses" groups: no course can serve two groups.

    The shape most certificates have (the tree solver's), at degree size: the learner holds
    every course, with mixed credits and grades, so each group is a real choice.
    """
    rnd = random.Random(seed)
    courses = [{"id": f"n{i}", "credits": rnd.choice([3, 4])} for i in range(groups * 3)]
    reqs = [{"any": [f"n{3 * g}", f"n{3 * g + 1}", f"n{3 * g + 2}"]} for g in range(groups)]
    data = {
        "catalog": {"id": "named", "version": "1"},
        "credentials": [*courses, {"id": "deg", "type": "degree", "requires": {"all": reqs}}],
    }
    record = parse_record(
        {
            "learner": "b",
            "earned": [
                {
                    "credential": c["id"],
                    "earned_on": "2024-01-01",
                    "grade": rnd.choice(["A", "B", "C", "B+"]),
                }
                for c in courses
            ],
        }
    )
    return load_catalog_data(data), record


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def demo() -> tuple[Catalog, list[LearnerRecord]]:
    """The demo catalog and its learners (examples/)."""
    catalog = load_catalog(EXAMPLES / "catalog")
    records = [
        parse_record(json.loads(path.read_text()))
        for path in sorted((EXAMPLES / "learners").glob("*.json"))
    ]
    return catalog, records


def demo_figures(runs: int) -> None:
    """Every demo learner against every stacked demo credential, by credential type."""
    catalog, records = demo()
    by_type: dict[str, list[float]] = {}
    for target in sorted(catalog.stacked):
        kind = catalog.credentials[target].type
        for record in records:
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                evaluate(catalog, record, target, AS_OF)
                times.append(time.perf_counter() - start)
            by_type.setdefault(kind, []).append(statistics.median(times))
    print(f"demo catalog ({len(records)} learners x {len(catalog.stacked)} stacked credentials):")
    for label, medians in sorted(by_type.items()):
        print(
            f"  {label:16s} median {statistics.median(medians) * 1000:6.1f} ms, "
            f"worst learner {max(medians) * 1000:6.1f} ms"
        )


def timed(catalog: Catalog, record: LearnerRecord, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        evaluate(catalog, record, "deg", AS_OF)
        out.append(time.perf_counter() - start)
    return out


def timed_solves(catalog: Catalog, record: LearnerRecord, runs: int) -> tuple[list[float], int]:
    """:func:`timed`, and the HiGHS solves one evaluation takes: a figure that, unlike the
    times, this host's speed does not change."""
    count = 0
    original = LinearModel.solve

    def counting(self: LinearModel, objective: dict[int, float], *, feasible: bool = False) -> Any:
        nonlocal count
        count += 1
        return original(self, objective, feasible=feasible)

    LinearModel.solve = counting  # type: ignore[method-assign]
    try:
        times = timed(catalog, record, runs)
    finally:
        LinearModel.solve = original  # type: ignore[method-assign]
    return times, count // runs


def _batch_worker(count: int) -> int:
    catalog, record = typical()
    for _ in range(count):
        evaluate(catalog, record, "deg", AS_OF)
    return count


def _demo_batch_worker(part: tuple[int, int, int]) -> int:
    """Every demo learner x every stacked credential, on ``days`` decision dates of its own
    (``first``, ``first + step``, ...): each decision is computed, none repeated."""
    first, step, days = part
    catalog, records = demo()
    done = 0
    for day in range(first, first + step * days, step):
        for target in sorted(catalog.stacked):
            for record in records:
                evaluate(catalog, record, target, AS_OF - dt.timedelta(days=day))
                done += 1
    return done


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"machine: {describe()}")
    runs = 10 if quick else 50
    demo_figures(3 if quick else 9)
    catalog, record = typical()
    times, count = timed_solves(catalog, record, runs)
    print(
        f"typical program (30 requirements, {len(record.earned)} items): "
        f"median {statistics.median(times) * 1000:.1f} ms, "
        f"p90 {sorted(times)[int(len(times) * 0.9) - 1] * 1000:.1f} ms, "
        f"{count} HiGHS solves"
    )
    catalog, record = adversarial()
    times, count = timed_solves(catalog, record, max(3, runs // 5))
    print(
        f"adversarial (12 overlapping groups/pools, 80 items): "
        f"median {statistics.median(times) * 1000:.1f} ms, {count} HiGHS solves"
    )
    catalog, record = named_choices()
    times = timed(catalog, record, runs)
    print(
        f"named choices (60 one-of-three groups, {len(record.earned)} items, no contention): "
        f"median {statistics.median(times) * 1000:.1f} ms"
    )
    per_worker = 20 if quick else 100
    start = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        done = sum(pool.map(_batch_worker, [per_worker, per_worker]))
    elapsed = time.perf_counter() - start
    print(
        f"batch on 2 processes: {done} decisions in {elapsed:.2f} s = "
        f"{done / elapsed:.0f} decisions/s (includes process start-up)"
    )
    days = 2 if quick else 6
    start = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        done = sum(pool.map(_demo_batch_worker, [(0, 2, days), (1, 2, days)]))
    elapsed = time.perf_counter() - start
    print(
        f"batch of the demo (every learner x stacked credential, {2 * days} dates) on 2 "
        f"processes: {done} decisions in {elapsed:.2f} s = {done / elapsed:.0f} decisions/s "
        "(includes process start-up and catalog loading)"
    )
    print("growth (requirements, items -> median ms):")
    for size in (8, 15, 30, 60, 120):
        catalog, record = typical(size, seed=size)
        times, count = timed_solves(catalog, record, 5 if quick else 15)
        print(
            f"  {size:4d} requirements, {len(record.earned):4d} items -> "
            f"{statistics.median(times) * 1000:8.1f} ms ({count} HiGHS solves)"
        )


if __name__ == "__main__":
    main()
