"""Benchmark: pathway graph, exact plans and goal ranking on generated catalogs.

Run: .venv/bin/python bench/bench_graph.py [--sizes 1000,2500,5000,10000]
Prints figures (not a test). Each program in the generated catalog holds 95 courses with
a prerequisite chain 8 deep, alternatives (any-of prerequisites), two microcredentials
(all-of and 2-of-6 electives), a certificate stacking them, a specialisation (a credit pool
over a tag, a `select`) and a degree (certificate + specialisation + 3 of 10 electives):
5 stacked credentials per 100 credentials, so 500 at 10,000.

``rank ms`` is the median ranking of five learners on one ``Recommender`` (what it keeps
between calls does not depend on the learner); ``1st rank`` is the first ranking on a new
``Recommender`` over a graph nothing has queried yet, every lazily built index still cold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from machine import describe

from pathways.graph import PathwayGraph
from pathways.loader import load_catalog_data
from pathways.plan import Planner
from pathways.recommend import Recommender
from pathways.record import parse_record

AS_OF = dt.date(2026, 11, 28)
COURSES = 95


def program(p: int, rng: random.Random) -> list[dict[str, Any]]:
    """One program: 95 courses and 5 stacked credentials."""
    c = [f"p{p}-c{i}" for i in range(COURSES)]
    out: list[dict[str, Any]] = []
    for i, cid in enumerate(c):
        cred: dict[str, Any] = {
            "id": cid,
            "credits": rng.choice([3, 3, 4]),
            "cost": rng.randrange(200, 1500, 50),
            "hours": rng.randrange(40, 180, 5),
            "level": 100 * (1 + i // 25),
            "subject": f"S{p % 40}",
            "tags": [f"t{p}-{i % 3}"],
        }
        if 1 <= i <= 7:
            cred["prerequisites"] = {"all": [c[i - 1]]}  # the 8-deep chain
        elif i >= 8 and i % 4 == 0:
            cred["prerequisites"] = {"any": [c[i - 5], c[i - 6]]}
        out.append(cred)
    out += [
        {"id": f"p{p}-mca", "type": "microcredential", "credits": 12, "requires": {"all": c[0:4]}},
        {
            "id": f"p{p}-mcb",
            "type": "microcredential",
            "requires": {"at_least": 2, "of": c[8:14]},
        },
        {
            "id": f"p{p}-cert",
            "type": "certificate",
            "credits": 30,
            "requires": {"all": [f"p{p}-mca", f"p{p}-mcb", c[7]]},
        },
        {
            "id": f"p{p}-spec",
            "type": "certificate",
            "requires": {"select": {"tags": [f"t{p}-1"], "level_min": 300}, "credits": 9},
        },
        {
            "id": f"p{p}-deg",
            "type": "degree",
            "requires": {
                "all": [f"p{p}-cert", f"p{p}-spec", {"at_least": 3, "of": c[20:30]}],
                "min_gpa": 2.0,
            },
        },
    ]
    return out


def catalog(size: int, seed: int = 7) -> Any:
    """A generated catalog of about ``size`` credentials."""
    rng = random.Random(seed)
    creds: list[dict[str, Any]] = []
    for p in range(max(1, size // (COURSES + 5))):
        creds += program(p, rng)
    data = {"catalog": {"id": "bench", "version": "1"}, "credentials": creds}
    return load_catalog_data(data)


def learner(programs: int, rng: random.Random, spread: int = 10) -> Any:
    """A learner holding a few courses in ``spread`` programs."""
    earned = []
    for p in rng.sample(range(programs), min(spread, programs)):
        for i in (0, 1, 2, 8, 9, 20):
            earned.append({"credential": f"p{p}-c{i}", "earned_on": "2025-05-01", "grade": "B+"})
    return parse_record({"learner": "bench", "earned": earned})


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    """Median seconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    """Print the figures for each catalog size."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,2500,5000,10000")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    print(
        f"{'size':>6} {'stacked':>7} {'graph s':>8} {'cands':>6} {'plan ms':>8} "
        f"{'rank ms':>8} {'1st rank':>9} {'goals':>6}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        cat = catalog(size)
        programs = len(cat.stacked) // 5
        build, graph = timed(lambda cat=cat: PathwayGraph(cat), 3)
        rng = random.Random(1)
        record = learner(programs, rng)
        fresh = PathwayGraph(cat)  # nothing has queried it yet: every lazy index cold
        first, _ = timed(
            lambda cat=cat, g=fresh, r=record: Recommender(cat, g).nearest_goals(
                r, "cost", AS_OF, 10
            ),
            1,
        )
        planner = Planner(cat, graph)
        goals = [f"p{rng.randrange(programs)}-deg" for _ in range(15)]
        plan_times, cands = [], []
        for goal in goals:
            cands.append(len(planner.candidates(record, goal, AS_OF)))
            seconds, plan = timed(
                lambda g=goal, pl=planner, r=record: pl.plan(r, g, "cost", AS_OF), 1
            )
            assert plan.plan is not None, plan.reason
            plan_times.append(seconds)
        # five different learners on one recommender: what it keeps is learner-free
        recommender = Recommender(cat, graph)
        learners = [record] + [learner(programs, random.Random(seed)) for seed in range(2, 6)]
        rank_times, ranked = [], None
        for other in learners:
            seconds, ranked = timed(
                lambda rc=recommender, r=other: rc.nearest_goals(r, "cost", AS_OF, 10), 1
            )
            rank_times.append(seconds)
        assert ranked is not None
        print(
            f"{len(cat.credentials):>6} {len(cat.stacked):>7} {build:>8.3f} "
            f"{statistics.median(cands):>6.0f} {statistics.median(plan_times) * 1000:>8.1f} "
            f"{statistics.median(rank_times) * 1000:>8.1f} {first * 1000:>9.1f} "
            f"{len(ranked['goals']):>6}"
        )


if __name__ == "__main__":
    main()
