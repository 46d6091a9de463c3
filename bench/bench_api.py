"""Benchmark ``POST /v1/decisions`` on loopback against a real server (not a test).

Starts ``uvicorn api.app:create_app`` with 2 workers on a fresh embedded store with the demo
loaded, then drives it with wrk (Debian's ``wrk``) for a bounded time and connection count,
and prints decisions/s and latency percentiles. Three runs at saturation (each connection
sends its next request when the answer arrives, so their latency is mostly queueing):
"repeat" (the same question, the in-process memo answers), "varied" (six learners x five
programs, cycled, so each worker solves each question once and then answers from memory
too) and "fresh" (every question asked once, each with a decision date of its own: every
request is a full evaluation and a log write). Those ask the demo's certificates and
microcredentials; a fourth run, "typical program", asks issue 2's typical program
(bench_evaluate.py: 30 requirements, six learners of ~60 items each, every question new),
which goes to the staged MILP, so that the figure for "a typical program" is printed too.
A 2 s warm-up before them is not measured (each worker's first requests load the catalog
and import the solver). Then two "paced" runs, varied and fresh, offer about ``--rate``
decisions/s (default 500) and show the latency a client sees at that load.

It also prints the server's CPU time per decision (both workers, from /proc) and the load
average before the runs: on a machine shared with other work, decisions/s and tail latency
follow the CPU the server gets, while its CPU per decision does not. uvicorn uses httptools
and uvloop when they are installed (``--http auto --loop auto``); the line "server:" says
which it ran on.

Usage: .venv/bin/python bench/bench_api.py [--seconds 10] [--connections 16] [--rate 500]
       [--sqlite-synchronous FULL|NORMAL] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2026, 11, 28)  # the latest decision date asked
sys.path.insert(0, str(ROOT))

from bench_evaluate import typical  # noqa: E402
from machine import describe  # noqa: E402  (bench/ is on sys.path when run as a script)

from store import StoreSettings, catalogs, demo, learners, open_store  # noqa: E402
from store.keys import create_key  # noqa: E402

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(key)s"
local bodies = %(bodies)s
-- each of wrk's 2 threads takes every other body, so no question is asked twice
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local n = 0
request = function()
  local index = (n * 2 + id) %% #bodies
  n = n + 1
  return wrk.format(nil, "/v1/decisions", nil, bodies[index + 1])
end
%(pace)s
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f %%.3f %%.3f\\n",
    summary.requests, summary.errors.status, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
"""


PACE = "delay = function() return math.random() * %(twice).1f end"


@dataclass(frozen=True)
class Run:
    """What one wrk run measured."""

    requests: int
    errors: int
    rate: float
    p50: float
    p90: float
    p99: float
    worst: float
    cpu_ms: float

    @classmethod
    def parse(cls, out: str, cpu_seconds: float) -> Run:
        """From wrk's output (the RESULT line of LUA) and the server's CPU seconds."""
        line = next(ln for ln in out.splitlines() if ln.startswith("RESULT"))
        n, errors, micros, p50, p90, p99, worst = line.split()[1:]
        requests = int(n)
        return cls(
            requests=requests,
            errors=int(errors),
            rate=requests / (int(micros) / 1e6),
            p50=float(p50),
            p90=float(p90),
            p99=float(p99),
            worst=float(worst),
            cpu_ms=1000 * cpu_seconds / max(requests, 1),
        )

    def __str__(self) -> str:
        return (
            f"{self.rate:.0f} decisions/s, p50 {self.p50:.1f} ms, p90 {self.p90:.1f} ms, "
            f"p99 {self.p99:.1f} ms, max {self.worst:.1f} ms, non-2xx {self.errors} of "
            f"{self.requests}; server CPU {self.cpu_ms:.2f} ms/decision"
        )


def _lua_list(bodies: list[str]) -> str:
    return "{" + ", ".join(json.dumps(b) for b in bodies) + "}"


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its children (the uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        return float("nan")
    total = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _wrk(script: Path, seconds: int, connections: int, base: str) -> str:
    """Run wrk (2 threads) with ``script`` and return what it printed."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    command += ["-s", str(script), base]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _install_wrk() -> bool:
    """Install Debian's wrk (as bootstrap.sh installs graphviz); whether it is there now."""
    apt = shutil.which("apt-get")
    if apt is None:
        return False
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    print("bench: installing Debian's wrk (the load generator)", file=sys.stderr)
    for step in (["update", "-qq"], ["install", "-y", "-qq", "wrk"]):
        done = subprocess.run([*sudo, apt, *step], capture_output=True, check=False)
        if done.returncode != 0:
            print(done.stderr.decode(errors="replace").strip(), file=sys.stderr)
            return False
    return shutil.which("wrk") is not None


def _seed_typical(engine: Engine) -> list[str]:
    """Publish issue 2's typical program (catalog ``bench``) and six learners of it.

    Each learner is the record ``typical`` draws with its own seed: the course ids are the
    same in every seed, so all six are valid against the catalog of seed 1.
    """
    catalog = typical(30, seed=1)[0]
    ids = []
    with Session(engine, expire_on_commit=False) as session:
        catalogs.publish(session, catalog, by="bench")
        for seed in range(1, 7):
            record = typical(30, seed=seed)[1].model_copy(update={"learner": f"typical-{seed}"})
            learners.put_record(session, record, by="bench")
            ids.append(record.learner)
    return ids


def _server_kind() -> str:
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"uvicorn {http} + {loop}, 2 workers, no access log"


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rate", type=int, default=500, help="offered load of the paced run")
    parser.add_argument("--sqlite-synchronous", choices=["FULL", "NORMAL"], default="FULL")
    parser.add_argument("--database-url", default=None, help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    if shutil.which("wrk") is None and not _install_wrk():
        sys.exit("wrk is not installed and could not be installed (apt-get install wrk)")
    data = Path(tempfile.mkdtemp(prefix="stackwise-bench-"))
    settings = StoreSettings(
        data_dir=data,
        database_url=args.database_url,
        sqlite_synchronous=args.sqlite_synchronous,
    )
    engine = open_store(settings)
    demo.seed(engine, ROOT / "examples")
    typical_learners = _seed_typical(engine)
    with Session(engine, expire_on_commit=False) as session:
        key = create_key(session, "auditor", label="bench")[1]
    engine.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "STACKWISE_DATA_DIR": str(data),
        "STACKWISE_SQLITE_SYNCHRONOUS": args.sqlite_synchronous,
    }
    env.pop("STACKWISE_DATABASE_URL", None)
    if args.database_url:
        env["STACKWISE_DATABASE_URL"] = args.database_url
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--workers",
            "2",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        learners = ["ana", "ben", "carla", "dev", "eli", "fatima"]
        programs = ["prog-cert", "mc-prog", "mc-web", "cloud-cert", "mm-sds"]
        ask = {"catalog": "stackwise-demo", "as_of": "2026-11-28"}

        # Every question of "fresh" is asked once (a decision date of its own): no worker
        # can answer from memory, so each request is a full evaluation and a log write.
        # Three disjoint sets of dates: the flat-out run, the paced run's calibration pass
        # and the paced run itself.
        def fresh(first_day: int, days: int) -> list[str]:
            return [
                json.dumps({**ask, "as_of": (START - dt.timedelta(days=d)).isoformat(), **q})
                for d in range(first_day, first_day + days)
                for q in ({"target": t, "learner": who} for who in learners for t in programs)
            ]

        runs = {
            "repeat (ben, prog-cert)": [
                json.dumps({**ask, "target": "prog-cert", "learner": "ben"})
            ],
            "varied (6 learners x 5 programs)": [
                json.dumps({**ask, "target": t, "learner": who})
                for who in learners
                for t in programs
            ],
            "fresh (every question new)": fresh(0, 300),
            "typical program (30 requirements, ~60 items; every question new)": [
                json.dumps(
                    {
                        "catalog": "bench",
                        "as_of": (START - dt.timedelta(days=d)).isoformat(),
                        "target": "deg",
                        "learner": who,
                    }
                )
                for d in range(200)
                for who in typical_learners
            ],
        }
        print(f"machine: {describe()}, load average {os.getloadavg()[0]:.2f} before the runs")
        store = "PostgreSQL" if args.database_url else f"SQLite WAL, {args.sqlite_synchronous}"
        print(f"server: {_server_kind()}; store: {store}")
        # Warm-up, not measured: each worker loads the catalog, parses the records and
        # imports the solver on its first requests (hundreds of ms, once per process).
        warm = data / "warm.lua"
        typical_bodies = [
            json.dumps({"catalog": "bench", "target": "deg", "learner": who})
            for who in typical_learners
        ]
        for bodies in (runs["repeat (ben, prog-cert)"], typical_bodies):  # each catalog
            warm.write_text(LUA % {"key": key, "bodies": _lua_list(bodies), "pace": ""})
            _wrk(warm, 2, args.connections, base)
        # The first two runs send as fast as the server answers (saturation: latency there
        # is mostly queueing behind the other connections). The third offers about
        # --rate decisions/s and shows the latency a client sees at that load: 32
        # connections, each waiting a random time before its next request; the mean wait
        # is calibrated by a 3 s pass (a cycle is the wait plus the answer's latency).
        paced = f"paced (varied, ~{args.rate}/s offered over 32 connections)"
        runs[paced] = runs["varied (6 learners x 5 programs)"]
        paced_fresh = f"paced (fresh, ~{args.rate}/s offered over 32 connections)"
        runs[paced_fresh] = fresh(400, 300)
        calibration = {paced: runs[paced], paced_fresh: fresh(300, 100)}

        def measure(bodies: list[str], seconds: int, connections: int, delay: float) -> Run:
            pace = "" if delay < 0 else PACE % {"twice": 2 * delay}
            script = data / "post.lua"
            script.write_text(LUA % {"key": key, "bodies": _lua_list(bodies), "pace": pace})
            cpu_before = _cpu_seconds(server.pid)
            out = _wrk(script, seconds, connections, base)
            return Run.parse(out, _cpu_seconds(server.pid) - cpu_before)

        for name, bodies in runs.items():
            if name not in (paced, paced_fresh):
                result = measure(bodies, args.seconds, args.connections, -1)
            else:
                cycle = 32_000 / args.rate  # ms between two requests of one connection
                trial = measure(calibration[name], 3, 32, cycle)
                latency = max(0.0, 32_000 / trial.rate - cycle)
                result = measure(bodies, args.seconds, 32, max(0.0, cycle - latency))
            print(f"{name}: {result}")
    finally:
        server.terminate()
        server.wait(20)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
